/// A JSON object whose members keep the order in which they were written.
///
/// Lookups scan the keys for small objects and use a hash index for larger ones, so both the
/// common case (a handful of members) and large maps stay fast. Equality ignores order.
public struct JSONObject: Sendable {
    public private(set) var keys: [String]
    public private(set) var values: [JSON]
    /// Position of each key; built only past `indexThreshold` members.
    private var index: [String: Int]?

    static let indexThreshold = 12

    public init() {
        keys = []
        values = []
        index = nil
    }

    /// Builds an object from members in order; a repeated key keeps its first position and
    /// takes the last value.
    public init<S: Sequence>(_ members: S) where S.Element == (String, JSON) {
        self.init()
        for (k, v) in members { self[k] = v }
    }

    /// Internal fast path for the parser: keys are known to be unique.
    init(uniqueKeys keys: [String], values: [JSON]) {
        self.keys = keys
        self.values = values
        self.index = nil
        if keys.count > Self.indexThreshold { buildIndex() }
    }

    private mutating func buildIndex() {
        var idx = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { idx[k] = i }
        index = idx
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key`, or nil.
    public func position(of key: String) -> Int? {
        if let index = index { return index[key] }
        return keys.firstIndex(of: key)
    }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// The value of `key`. Setting nil removes the member; setting a new key appends it.
    public subscript(key: String) -> JSON? {
        get {
            guard let i = position(of: key) else { return nil }
            return values[i]
        }
        set {
            if let i = position(of: key) {
                if let v = newValue {
                    values[i] = v
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                    if index != nil {
                        if keys.count > Self.indexThreshold { buildIndex() } else { index = nil }
                    }
                }
            } else if let v = newValue {
                keys.append(key)
                values.append(v)
                if index != nil {
                    index![key] = keys.count - 1
                } else if keys.count > Self.indexThreshold {
                    buildIndex()
                }
            }
        }
    }

    /// Removes and returns the value of `key`.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        let old = self[key]
        self[key] = nil
        return old
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var i = 0
        public mutating func next() -> (key: String, value: JSON)? {
            guard i < object.keys.count else { return nil }
            defer { i += 1 }
            return (object.keys[i], object.values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { keys.count }
}

extension JSONObject: Equatable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.keys == rhs.keys { return lhs.values == rhs.values }
        for (i, k) in lhs.keys.enumerated() {
            guard let v = rhs[k], v == lhs.values[i] else { return false }
        }
        return true
    }
}

extension JSONObject: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-member hashes commutatively.
        var acc = 0
        for (i, k) in keys.enumerated() {
            var h = Hasher()
            h.combine(k)
            h.combine(values[i])
            acc = acc &+ h.finalize()
        }
        hasher.combine(count)
        hasher.combine(acc)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}
