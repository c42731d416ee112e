extension SchemaNode {
    /// Validates `instance` against this schema.
    ///
    /// When `ctx.collecting` is false this stops at the first failure and builds no strings.
    /// `eval` is non-nil only when an enclosing `unevaluated*` keyword needs to know what this
    /// schema evaluated; the caller discards it if validation fails.
    func validate(_ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        switch kind {
        case .alwaysValid:
            return true
        case .alwaysInvalid:
            if ctx.collecting {
                ctx.report("false", schemaPath, "\(ctx.subject) is not allowed")
            }
            return false
        case .keywords:
            break
        }
        if ctx.depth >= ctx.depthLimit {
            if !ctx.onLargeStack {
                ctx.needsLargeStack = true
                ctx.depthLimit = 0
            } else if ctx.collecting && !ctx.isFull {
                ctx.report("$ref", schemaPath, "\(ctx.subject) is nested too deeply to validate")
            }
            return false
        }
        ctx.depth += 1
        defer { ctx.depth -= 1 }
        if ctx.tracksDynamicScope && ctx.dynamicScope.last !== resource {
            ctx.dynamicScope.append(resource)
            defer { ctx.dynamicScope.removeLast() }
            return validateKeywords(instance, &ctx, tracksEvaluation && eval == nil ? EvaluationTracker() : eval)
        }
        if tracksEvaluation && eval == nil {
            return validateKeywords(instance, &ctx, EvaluationTracker())
        }
        return validateKeywords(instance, &ctx, eval)
    }

    @inline(__always)
    private func validateKeywords(_ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        // The instance's payload is bound once here rather than by every keyword.
        let keywords = self.keywords
        var valid = true
        switch instance {
        case .object(let o):
            for i in 0..<keywords.count where !checkObject(keywords[i], at: i, o, instance, &ctx, eval) {
                valid = false
                if !ctx.collecting || ctx.isFull { return false }
            }
        case .string(let s):
            for i in 0..<keywords.count where !checkString(keywords[i], at: i, s, instance, &ctx, eval) {
                valid = false
                if !ctx.collecting || ctx.isFull { return false }
            }
        default:
            for i in 0..<keywords.count where !check(keywords[i], at: i, instance, &ctx, eval) {
                valid = false
                if !ctx.collecting || ctx.isFull { return false }
            }
        }
        return valid
    }
}

extension SchemaNode {
    /// The name a keyword's errors are reported under.
    private func name(_ index: Int) -> String { keywordInfo[index].name }
    /// The schema path of a keyword.
    private func path(_ index: Int) -> String { keywordInfo[index].schemaPath }

    /// ``check(_:at:_:_:_:)`` for an object instance whose members are already bound.
    @inline(__always)
    private func checkObject(_ keyword: Keyword, at index: Int, _ o: JSONObject, _ instance: JSON, _ ctx: inout ValidationContext,
                             _ eval: EvaluationTracker?) -> Bool {
        switch keyword {
        case .type(let types):
            if types.mask & TypeSet.object != 0 { return true }
        case .members(let members):
            return members { checkMembers($0, o, &ctx, eval) }
        case .required(let ref):
            if ref({ $0.allPresent(in: o) }) { return true }
            guard ctx.collecting else { return false }
            for n in ref.object.names where o.position(of: n) == nil {
                let field = ctx.path.rendered(appending: n)
                ctx.report(name(index), path(index), "required field '\(field)' is missing", instancePath: field)
            }
            return false
        case .minLength, .maxLength, .pattern, .format, .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum,
             .multipleOf, .minItems, .maxItems, .uniqueItems, .items, .contains, .unevaluatedItems:
            return true
        default:
            break
        }
        return check(keyword, at: index, instance, &ctx, eval)
    }

    /// ``check(_:at:_:_:_:)`` for a string instance whose text is already bound.
    @inline(__always)
    private func checkString(_ keyword: Keyword, at index: Int, _ s: String, _ instance: JSON, _ ctx: inout ValidationContext,
                             _ eval: EvaluationTracker?) -> Bool {
        switch keyword {
        case .type(let types):
            if types.mask & TypeSet.string != 0 { return true }
        case .enumeration(let ref):
            if ref({ $0.contains(string: s) }) { return true }
        case .minLength(let n):
            let bytes = s.utf8.count
            if bytes >= n && (bytes + 3) / 4 >= n { return true }
            if bytes >= n && s.unicodeScalars.count >= n { return true }
        case .maxLength(let n):
            if s.utf8.count <= n || s.unicodeScalars.count <= n { return true }
        case .pattern(let ref):
            return checkPattern(ref, at: index, s, &ctx)
        case .minimum, .maximum, .exclusiveMinimum, .exclusiveMaximum, .multipleOf, .minItems, .maxItems, .uniqueItems,
             .items, .contains, .members, .required, .dependentRequired, .dependentSchemas, .propertyNames,
             .minProperties, .maxProperties, .unevaluatedItems, .unevaluatedProperties:
            return true
        default:
            break
        }
        return check(keyword, at: index, instance, &ctx, eval)
    }

    /// Checks the keyword at `index`; reports its failures when collecting.
    func check(_ keyword: Keyword, at index: Int, _ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        switch keyword {
        case .type(let types):
            if types.contains(instance) { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be \(types.expectation), got \(ErrorText.typeName(instance))")
            }
            return false

        case .enumeration(let ref):
            if ref({ $0.contains(instance) }) { return true }
            let values = ref.object
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be one of \(values.listing), got \(ErrorText.value(instance))")
            }
            return false

        case .constant(let ref):
            let value = ref.object.value
            if instance.schemaEquals(value) { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be \(ErrorText.value(value)), got \(ErrorText.value(instance))")
            }
            return false

        case .minimum(let ref):
            guard let c = ref({ $0.compare(instance) }), c < 0 else { return true }
            let limit = ref.object
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be at least \(limit.text), got \(ErrorText.value(instance))")
            }
            return false

        case .maximum(let ref):
            guard let c = ref({ $0.compare(instance) }), c > 0 else { return true }
            let limit = ref.object
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be at most \(limit.text), got \(ErrorText.value(instance))")
            }
            return false

        case .exclusiveMinimum(let ref):
            let limit = ref.object
            guard let c = limit.compare(instance), c <= 0 else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be greater than \(limit.text), got \(ErrorText.value(instance))")
            }
            return false

        case .exclusiveMaximum(let ref):
            let limit = ref.object
            guard let c = limit.compare(instance), c >= 0 else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be less than \(limit.text), got \(ErrorText.value(instance))")
            }
            return false

        case .multipleOf(let ref):
            let m = ref.object
            if m.accepts(instance) { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be a multiple of \(m.text), got \(ErrorText.value(instance))")
            }
            return false

        case .minLength(let n):
            guard case .string(let s) = instance else { return true }
            let bytes = s.utf8.count
            if bytes >= n && (bytes + 3) / 4 >= n { return true }
            let length = bytes < n ? -1 : s.unicodeScalars.count
            if length >= n { return true }
            if ctx.collecting {
                let actual = length < 0 ? s.unicodeScalars.count : length
                ctx.report(name(index), path(index), "\(ctx.subject) must be at least \(ErrorText.plural(n, "character")) long, got \(actual)")
            }
            return false

        case .maxLength(let n):
            guard case .string(let s) = instance else { return true }
            if s.utf8.count <= n { return true }
            let length = s.unicodeScalars.count
            if length <= n { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be at most \(ErrorText.plural(n, "character")) long, got \(length)")
            }
            return false

        case .pattern(let ref):
            guard case .string(let s) = instance else { return true }
            return checkPattern(ref, at: index, s, &ctx)

        case .format(let ref):
            let format = ref.object
            if format.accepts(instance) { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must be a valid \(format.name), got \(ErrorText.value(instance))")
            }
            return false

        case .minItems(let n):
            guard case .array(let a) = instance, a.count < n else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must have at least \(ErrorText.plural(n, "item")), got \(a.count)")
            }
            return false

        case .maxItems(let n):
            guard case .array(let a) = instance, a.count > n else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must have at most \(ErrorText.plural(n, "item")), got \(a.count)")
            }
            return false

        case .uniqueItems:
            guard case .array(let a) = instance, let (i, j) = Self.firstDuplicate(a) else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must not contain duplicates, items \(i) and \(j) are equal")
            }
            return false

        case .items(let items):
            return items { checkItems($0, index, instance, &ctx, eval) }

        case .contains(let contains):
            return checkContains(contains.object, index, instance, &ctx, eval)

        case .members(let members):
            guard case .object(let o) = instance else { return true }
            return members { checkMembers($0, o, &ctx, eval) }

        case .required(let ref):
            guard case .object(let o) = instance else { return true }
            if ref({ $0.allPresent(in: o) }) { return true }
            guard ctx.collecting else { return false }
            for n in ref.object.names where o.position(of: n) == nil {
                let field = ctx.path.rendered(appending: n)
                ctx.report(name(index), path(index), "required field '\(field)' is missing", instancePath: field)
            }
            return false

        case .dependentRequired(let ref):
            let dependencies = ref.object.dependencies
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, names) in dependencies where o.position(of: property) != nil {
                for n in names where o.position(of: n) == nil {
                    guard ctx.collecting else { return false }
                    valid = false
                    let field = ctx.path.rendered(appending: n)
                    ctx.report(name(index), path(index), "required field '\(field)' is missing (required when '\(property)' is present)",
                               instancePath: field)
                }
            }
            return valid

        case .dependentSchemas(let ref):
            let dependencies = ref.object.dependencies
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, schema) in dependencies where o.position(of: property) != nil {
                if !Self.applyInPlace(schema, instance, &ctx, eval) {
                    valid = false
                    if !ctx.collecting { return false }
                }
            }
            return valid

        case .propertyNames(let schema):
            guard case .object(let o) = instance else { return true }
            let collecting = ctx.collecting
            ctx.collecting = false
            defer { ctx.collecting = collecting }
            for key in o.keys where !schema.validate(.string(key), &ctx, nil) {
                guard collecting else { return false }
                ctx.collecting = true
                ctx.report(name(index), path(index), "\(ctx.subject) has a property name that is not allowed: '\(key)'")
                return false
            }
            return true

        case .minProperties(let n):
            guard case .object(let o) = instance, o.count < n else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must have at least \(ErrorText.plural(n, "property", "properties")), got \(o.count)")
            }
            return false

        case .maxProperties(let n):
            guard case .object(let o) = instance, o.count > n else { return true }
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must have at most \(ErrorText.plural(n, "property", "properties")), got \(o.count)")
            }
            return false

        case .allOf(let ref):
            let schemas = ref.object.nodes
            var valid = true
            for schema in schemas where !Self.applyInPlace(schema, instance, &ctx, eval) {
                valid = false
                if !ctx.collecting || ctx.isFull { return false }
            }
            return valid

        case .anyOf(let ref):
            let schemas = ref.object.nodes
            let collecting = ctx.collecting
            ctx.collecting = false
            var matched = false
            for schema in schemas {
                if eval == nil {
                    if schema.validate(instance, &ctx, nil) { matched = true; break }
                } else {
                    let branch = EvaluationTracker()
                    if schema.validate(instance, &ctx, branch) {
                        matched = true
                        eval!.merge(branch)
                    }
                }
            }
            ctx.collecting = collecting
            if matched { return true }
            if collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must match at least one of the \(schemas.count) schemas in anyOf")
            }
            return false

        case .oneOf(let ref):
            let schemas = ref.object.nodes
            let collecting = ctx.collecting
            ctx.collecting = false
            var matches: [Int] = []
            var matchedEval: EvaluationTracker?
            for (i, schema) in schemas.enumerated() {
                let branch = eval == nil ? nil : EvaluationTracker()
                if schema.validate(instance, &ctx, branch) {
                    matches.append(i)
                    matchedEval = branch
                    if matches.count > 1 && !collecting { break }
                }
            }
            ctx.collecting = collecting
            if matches.count == 1 {
                if let matchedEval { eval!.merge(matchedEval) }
                return true
            }
            if collecting {
                let detail = matches.isEmpty
                    ? "it matches none"
                    : "it matches \(matches.count) (schemas \(matches.map(String.init).joined(separator: ", ")))"
                ctx.report(name(index), path(index), "\(ctx.subject) must match exactly one of the \(schemas.count) schemas in oneOf, but \(detail)")
            }
            return false

        case .not(let schema):
            let collecting = ctx.collecting
            ctx.collecting = false
            let matched = schema.validate(instance, &ctx, nil)
            ctx.collecting = collecting
            if !matched { return true }
            if collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must not match the schema in 'not'")
            }
            return false

        case .conditional(let ref):
            let c = ref.object
            let collecting = ctx.collecting
            ctx.collecting = false
            let branch = eval == nil ? nil : EvaluationTracker()
            let holds = c.condition.validate(instance, &ctx, branch)
            ctx.collecting = collecting
            if holds {
                if let branch { eval!.merge(branch) }
                guard let then = c.then else { return true }
                return Self.applyInPlace(then, instance, &ctx, eval)
            }
            guard let otherwise = c.otherwise else { return true }
            return Self.applyInPlace(otherwise, instance, &ctx, eval)

        case .ref(let target):
            return Self.applyInPlace(target, instance, &ctx, eval)

        case .dynamicRef(let dynamic):
            let ref = dynamic.object
            var target = ref.fallback
            if ctx.tracksDynamicScope {
                for resource in ctx.dynamicScope {
                    if let anchored = resource.dynamicAnchors[ref.anchor] {
                        target = anchored
                        break
                    }
                }
            }
            return Self.applyInPlace(target, instance, &ctx, eval)

        case .unevaluatedProperties(let schema):
            guard case .object(let o) = instance, let eval else { return true }
            if eval.allProperties { return true }
            var valid = true
            var newlyEvaluated: [String] = []
            for i in 0..<o.count {
                let key = o.keys[i]
                if eval.properties.contains(key) { continue }
                if Self.applyChild(schema, o.values[i], key: key, &ctx, keyword: name(index), path: path(index)) {
                    newlyEvaluated.append(key)
                } else {
                    valid = false
                    if !ctx.collecting || ctx.isFull { return false }
                }
            }
            eval.properties.formUnion(newlyEvaluated)
            return valid

        case .unevaluatedItems(let schema):
            guard case .array(let a) = instance, let eval else { return true }
            if eval.allItems { return true }
            var valid = true
            for i in a.indices where !eval.isEvaluated(item: i) {
                if !Self.applyChild(schema, a[i], index: i, &ctx, keyword: name(index), path: path(index)) {
                    valid = false
                    if !ctx.collecting || ctx.isFull { return false }
                }
            }
            if valid { eval.allItems = true }
            return valid
        }
    }

    /// `pattern` on a string: an undecided match fails the keyword and marks the run undecided.
    @inline(__always)
    private func checkPattern(_ ref: Unowned<RegexBox>, at index: Int, _ s: String, _ ctx: inout ValidationContext) -> Bool {
        switch ref({ $0.regex.evaluate(s) }) {
        case .matched:
            return true
        case .notMatched:
            if ctx.collecting {
                ctx.report(name(index), path(index), "\(ctx.subject) must match pattern '\(ref.object.regex.pattern)'")
            }
            return false
        case .undecided:
            ctx.reportUndecided(pattern: ref.object.regex.pattern, keyword: name(index), schemaPath: path(index))
            return false
        }
    }

    // MARK: - Applicators

    /// Applies a subschema to the same instance location; its annotations count only if it passes.
    @inline(__always)
    static func applyInPlace(_ schema: NodeRef, _ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        guard let eval else { return schema.validate(instance, &ctx, nil) }
        let branch = EvaluationTracker()
        guard schema.validate(instance, &ctx, branch) else { return false }
        eval.merge(branch)
        return true
    }

    /// Whether a simple leaf certainly accepts `values[i]` (integers and strings only).
    @inline(__always)
    static func leaf(_ leaf: LeafCheck, accepts values: UnsafeBufferPointer<JSON>, _ i: Int) -> Bool {
        switch values[i] {
        case .int(let n): return leaf.accepts(int: n)
        case .string(let s): return leaf.accepts(string: s)
        default: return false
        }
    }

    /// Applies a subschema to the member `key` of the instance.
    @inline(__always)
    static func applyChild(_ schema: NodeRef, _ value: JSON, key: String, _ ctx: inout ValidationContext,
                           keyword: String, path: String) -> Bool {
        if let leaf = schema.leaf, leaf.accepts(value) { return true }
        if schema.isAlwaysInvalid {
            if ctx.collecting {
                let field = ctx.path.rendered(appending: key)
                ctx.report(keyword, path, "field '\(field)' is not allowed", instancePath: field)
            }
            return false
        }
        ctx.push(key)
        defer { ctx.pop() }
        return schema.validate(value, &ctx, nil)
    }

    /// Applies a subschema to the item `index` of the instance.
    @inline(__always)
    static func applyChild(_ schema: NodeRef, _ value: JSON, index: Int, _ ctx: inout ValidationContext,
                           keyword: String, path: String) -> Bool {
        if let leaf = schema.leaf, leaf.accepts(value) { return true }
        ctx.push(index)
        defer { ctx.pop() }
        if schema.isAlwaysInvalid {
            if ctx.collecting {
                ctx.report(keyword, path, "\(ctx.subject) is not allowed")
            }
            return false
        }
        return schema.validate(value, &ctx, nil)
    }

    private func checkItems(_ items: ArrayItems, _ index: Int, _ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        guard case .array(let array) = instance else { return true }
        return array.withUnsafeBufferPointer { a in
            var valid = true
            let prefixCount = min(items.prefix.count, a.count)
            for i in 0..<prefixCount
            where !Self.applyChild(items.prefix[i], a[i], index: i, &ctx, keyword: items.prefixKeyword, path: items.prefixPath) {
                valid = false
                if !ctx.collecting || ctx.isFull { return false }
            }
            if let rest = items.rest, a.count > prefixCount {
                let leaf = rest.leaf
                for i in prefixCount..<a.count {
                    if let leaf, Self.leaf(leaf, accepts: a, i) { continue }
                    if !Self.applyChild(rest, a[i], index: i, &ctx, keyword: items.restKeyword, path: items.restPath) {
                        valid = false
                        if !ctx.collecting || ctx.isFull { return false }
                    }
                }
                if valid, let eval { eval.allItems = true }
            } else if valid, let eval {
                eval.itemPrefix = max(eval.itemPrefix, prefixCount)
            }
            return valid
        }
    }

    private func checkContains(_ contains: Contains, _ index: Int, _ instance: JSON, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        guard case .array(let a) = instance else { return true }
        let collecting = ctx.collecting
        ctx.collecting = false
        var count = 0
        var matched: [Int] = []
        for i in a.indices where contains.schema.validate(a[i], &ctx, nil) {
            count += 1
            if eval != nil {
                matched.append(i)
            } else if contains.max == nil && count >= contains.min {
                break
            } else if let max = contains.max, count > max, count >= contains.min {
                break
            }
        }
        ctx.collecting = collecting
        let valid = count >= contains.min && (contains.max.map { count <= $0 } ?? true)
        if valid, let eval { eval.items.formUnion(matched) }
        if valid { return true }
        if collecting {
            if count < contains.min {
                let wanted = contains.min == 1 ? "at least one item" : "at least \(contains.min) items"
                ctx.report(name(index), path(index), "\(ctx.subject) must contain \(wanted) matching the 'contains' schema, found \(count)")
            } else {
                ctx.report("maxContains", path(index),
                           "\(ctx.subject) must contain at most \(ErrorText.plural(contains.max ?? 0, "item")) matching the 'contains' schema, found \(count)")
            }
        }
        return false
    }

    private func checkMembers(_ members: ObjectMembers, _ o: JSONObject, _ ctx: inout ValidationContext, _ eval: EvaluationTracker?) -> Bool {
        return o.keys.withUnsafeBufferPointer { keys in
            o.values.withUnsafeBufferPointer { values in
                var valid = true
                var hint = 0
                for i in 0..<keys.count {
                    let key = keys[i]
                    var matched = false
                    if let p = members.index(of: key, hint: hint) {
                        hint = p + 1
                        matched = true
                        let schema = members.schemas[p]
                        if let leaf = schema.leaf, Self.leaf(leaf, accepts: values, i) {
                            // A simple leaf that passes: nothing more to do.
                        } else if !Self.applyChild(schema, values[i], key: key, &ctx, keyword: "properties", path: members.namesPath) {
                            valid = false
                            if !ctx.collecting || ctx.isFull { return false }
                        }
                    }
                    if !members.patterns.isEmpty {
                        for pattern in members.patterns {
                            switch pattern.regex.evaluate(key) {
                            case .matched:
                                break
                            case .notMatched:
                                continue
                            case .undecided:
                                ctx.reportUndecided(pattern: pattern.regex.pattern, keyword: "patternProperties",
                                                    schemaPath: members.patternsPath, field: ctx.path.rendered(appending: key))
                                valid = false
                                if !ctx.collecting || ctx.isFull { return false }
                                continue
                            }
                            matched = true
                            if !Self.applyChild(pattern.schema, values[i], key: key, &ctx, keyword: "patternProperties",
                                                path: members.patternsPath) {
                                valid = false
                                if !ctx.collecting || ctx.isFull { return false }
                            }
                        }
                    }
                    if !matched, let additional = members.additional {
                        matched = true
                        if let leaf = additional.leaf, Self.leaf(leaf, accepts: values, i) {
                            // A simple leaf that passes: nothing more to do.
                        } else if !Self.applyChild(additional, values[i], key: key, &ctx, keyword: "additionalProperties",
                                            path: members.additionalPath) {
                            valid = false
                            if !ctx.collecting || ctx.isFull { return false }
                        }
                    }
                    if matched, let eval { eval.properties.insert(key) }
                }
                return valid
            }
        }
    }

    /// The first pair of equal items, by hashing (equal numbers hash alike).
    static func firstDuplicate(_ a: [JSON]) -> (Int, Int)? {
        if a.count < 2 { return nil }
        if a.count <= 12 {
            for i in 0..<a.count {
                for j in (i + 1)..<a.count where a[i].schemaEquals(a[j]) { return (i, j) }
            }
            return nil
        }
        var seen: [SchemaEquatableJSON: Int] = [:]
        seen.reserveCapacity(a.count)
        for (i, item) in a.enumerated() {
            if let first = seen.updateValue(i, forKey: SchemaEquatableJSON(value: item)) { return (first, i) }
        }
        return nil
    }
}
