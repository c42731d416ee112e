import Hummingbird
import JSONSchema
import StewardCore
import StewardStore

extension StewardRequestContext {
    /// The authenticated caller; every `/api/v1` route runs behind ``SignatureMiddleware``.
    func caller() throws -> String {
        guard let identity else { throw StewardError.unauthenticated("the request is not signed") }
        return identity
    }

    /// The caller's role in `namespace`.
    ///
    /// A caller that is not a member gets 404 (`namespace 'N' not found`), the same answer as
    /// for a namespace that does not exist: nobody learns which other namespaces exist.
    func role(in namespace: String, store: any Store) throws -> Role {
        guard let role = store.role(of: try caller(), in: namespace) else {
            throw StewardError.notFound("namespace '\(namespace)' not found")
        }
        return role
    }

    /// Requires the caller to be an owner of `namespace`; 403 names what was refused.
    func requireOwner(of namespace: String, to action: String, store: any Store) throws {
        let role = try role(in: namespace, store: store)
        guard role == .owner else {
            throw StewardError.forbidden(
                "only owners of namespace '\(namespace)' may \(action); your role there is \(role.rawValue)")
        }
    }

    /// The request body parsed as JSON; 400 for malformed JSON or nesting past `maxDepth`.
    func jsonBody(maxDepth: Int) throws -> JSON {
        guard let body, body.readableBytes > 0 else {
            throw StewardError.invalidInput("the request needs a JSON body")
        }
        do {
            return try JSON(parsing: body.readableBytesView, maxDepth: maxDepth)
        } catch {
            if error.code == .tooDeep {
                throw StewardError.invalidInput(
                    "the request body nests JSON deeper than \(maxDepth) levels, which the server does not accept")
            }
            throw StewardError.invalidInput("the request body is not valid JSON: \(error.description)")
        }
    }

    /// A path parameter.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw StewardError.invalidInput("missing path parameter '\(name)'")
        }
        return value
    }
}
