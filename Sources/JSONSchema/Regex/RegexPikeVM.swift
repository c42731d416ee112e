/// Simulates the program as a nondeterministic automaton, all threads in step, for programs
/// without backreferences or lookaround that ``RegexDFA`` declined (word boundaries, or an
/// automaton that would be too large). Time is linear in the input times the program size;
/// memory is two thread lists the size of the program.
enum RegexPikeVM {
    /// A set of program counters with O(1) insert, membership and clear.
    private struct SparseSet {
        var dense: [Int32]
        var sparse: [Int32]
        var count = 0

        init(capacity: Int) {
            dense = [Int32](repeating: 0, count: capacity)
            sparse = [Int32](repeating: 0, count: capacity)
        }

        @inline(__always)
        func contains(_ pc: Int) -> Bool {
            let i = Int(sparse[pc])
            return i < count && dense[i] == Int32(pc)
        }

        @inline(__always)
        mutating func insert(_ pc: Int) {
            sparse[pc] = Int32(count)
            dense[count] = Int32(pc)
            count += 1
        }
    }

    /// What the zero-width assertions need to know about a position.
    private struct Context {
        var atStart: Bool
        var atEnd: Bool
        var previousIsWord: Bool
        var nextIsWord: Bool
    }

    static func matches(_ program: RegexProgram, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let code = program.instructions
        var current = SparseSet(capacity: code.count)
        var next = SparseSet(capacity: code.count)
        var stack: [Int] = []

        /// Adds the closure of `pc` to `list`; returns true when it reaches `match`.
        func add(_ pc: Int, to list: inout SparseSet, _ context: Context) -> Bool {
            stack.append(pc)
            while let pc = stack.popLast() {
                guard !list.contains(pc) else { continue }
                list.insert(pc)
                switch code[pc] {
                case .scalar, .set:
                    break
                case .split(let a, let b):
                    stack.append(b)
                    stack.append(a)
                case .jump(let target):
                    stack.append(target)
                case .save, .clearCaptures, .markProgress, .checkProgress:
                    stack.append(pc + 1)
                case .assertStart:
                    if context.atStart { stack.append(pc + 1) }
                case .assertEnd:
                    if context.atEnd { stack.append(pc + 1) }
                case .wordBoundary(let negated):
                    if (context.previousIsWord != context.nextIsWord) != negated { stack.append(pc + 1) }
                case .match:
                    stack.removeAll(keepingCapacity: true)
                    return true
                case .backreference, .lookaround, .lookaroundSucceeded:
                    break // excluded by the caller
                }
            }
            return false
        }

        var i = 0
        var previous: UInt32? = nil
        var scalar: (UInt32, Int)? = bytes.isEmpty ? nil : UTF8Scalars.decode(bytes, at: 0)
        while true {
            let context = Context(
                atStart: i == 0, atEnd: i == bytes.count,
                previousIsWord: previous.map(RegexCharSet.isWordCharacter) ?? false,
                nextIsWord: scalar.map { RegexCharSet.isWordCharacter($0.0) } ?? false)
            if i == 0 || !program.anchoredAtStart {
                if add(0, to: &current, context) { return true }
            }
            guard let (c, length) = scalar, current.count > 0 || !program.anchoredAtStart else { return false }
            let nextIndex = i + length
            let following: (UInt32, Int)? = nextIndex < bytes.count ? UTF8Scalars.decode(bytes, at: nextIndex) : nil
            let nextContext = Context(
                atStart: false, atEnd: nextIndex == bytes.count,
                previousIsWord: RegexCharSet.isWordCharacter(c),
                nextIsWord: following.map { RegexCharSet.isWordCharacter($0.0) } ?? false)
            next.count = 0
            for k in 0..<current.count {
                let pc = Int(current.dense[k])
                let accepts: Bool
                switch code[pc] {
                case .scalar(let s, _): accepts = s == c
                case .set(let index, _): accepts = program.sets[index].contains(c)
                default: accepts = false
                }
                if accepts, add(pc + 1, to: &next, nextContext) { return true }
            }
            swap(&current, &next)
            previous = c
            scalar = following
            i = nextIndex
        }
    }
}
