import Hummingbird
import NIOCore

/// The request context of the API: the authenticated identity and the collected body.
public struct StewardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified signer, set by ``SignatureMiddleware``.
    public var identity: String?
    /// The request body, collected (within the size limit) by ``SignatureMiddleware`` to check
    /// its digest.
    public var body: ByteBuffer?
    /// The body size limit.
    public var maxBodySize: Int

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.body = nil
        self.maxBodySize = ServerConfiguration.defaultMaxBodySize
    }

    public var maxUploadSize: Int { maxBodySize }
}
