/// A deterministic automaton built ahead of time from a program without backreferences,
/// lookaround or word boundaries: matching costs one table lookup per code point.
///
/// Code points are grouped into classes that every set and literal of the program treats
/// alike; ASCII classes come from a 128-entry table, others from a binary search. The search is
/// unanchored: every state also holds the threads that a match starting later would have.
/// Construction gives up (and the caller uses ``RegexPikeVM``) past ``maxStates`` states or
/// ``maxWork`` units of work, so a pattern cannot make compilation explode.
///
/// The hot tables live in buffers the automaton allocates once and frees in `deinit`; they are
/// never written after `init`, which is what makes sharing the instance across threads safe.
final class RegexDFA: @unchecked Sendable {
    static let maxStates = 1_000
    static let maxClasses = 1_024
    static let maxWork = 4_000_000

    private static let flagMatched: UInt8 = 1
    private static let flagAcceptsAtEnd: UInt8 = 2
    private static let flagDead: UInt8 = 4

    private let classCount: Int
    /// For ASCII input, the transition by state and byte: entry `state << 7 | byte`, holding a
    /// state number, or ``matchedEntry`` / ``deadEntry``. One load per byte.
    private let asciiTransitions: UnsafeMutableBufferPointer<Int32>
    /// Starts (all ≥ 128) of the non-ASCII intervals, and their classes.
    private let nonASCIIStarts: [UInt32]
    private let nonASCIIClasses: [UInt16]
    /// Per state, two words: the ASCII bytes that lead back to the same state. Runs of them are
    /// skipped by testing bits instead of following the table, which breaks the chain of
    /// dependent loads (`[a-z0-9]+` over a long name costs one bit test per byte).
    private let selfLoops: UnsafeMutableBufferPointer<UInt64>
    /// The transition by state and class (`state × classCount + class`), as above.
    private let transitions: [Int32]
    /// Per state: whether reaching the end of the input there is a match.
    private let acceptsAtEnd: UnsafeMutableBufferPointer<Bool>
    /// The start state, or ``matchedEntry`` / ``deadEntry``.
    private let start: Int32

    private static let matchedEntry: Int32 = -1
    private static let deadEntry: Int32 = -2

    /// Returns nil when the program needs another matcher or the automaton would be too large.
    init?(program: RegexProgram) {
        guard !program.hasBackreferences, !program.hasLookaround, !program.hasWordBoundary else { return nil }
        let code = program.instructions

        // 1. Partition code points into classes.
        var atomsBySet: [Int: Int] = [:]
        var atomsByScalar: [UInt32: Int] = [:]
        var atomSets: [RegexCharSet] = []
        var boundaries: Set<UInt32> = [0]
        for instruction in code {
            switch instruction {
            case .scalar(let c, _):
                if atomsByScalar[c] == nil {
                    atomsByScalar[c] = atomSets.count
                    atomSets.append(RegexCharSet(scalar: c))
                    boundaries.insert(c)
                    boundaries.insert(c + 1)
                }
            case .set(let index, _):
                if atomsBySet[index] == nil {
                    atomsBySet[index] = atomSets.count
                    let set = program.sets[index]
                    atomSets.append(set)
                    for range in set.ranges {
                        boundaries.insert(range.lowerBound)
                        boundaries.insert(range.upperBound + 1)
                    }
                }
            default:
                break
            }
        }
        let starts = boundaries.filter { $0 <= RegexCharSet.maxCodePoint }.sorted()
        guard starts.count * max(atomSets.count, 1) <= Self.maxWork else { return nil }
        var classBySignature: [[Bool]: Int] = [:]
        var representatives: [UInt32] = []
        var intervalClasses: [Int] = []
        intervalClasses.reserveCapacity(starts.count)
        for start in starts {
            let signature = atomSets.map { $0.contains(start) }
            if let existing = classBySignature[signature] {
                intervalClasses.append(existing)
            } else {
                classBySignature[signature] = representatives.count
                intervalClasses.append(representatives.count)
                representatives.append(start)
            }
        }
        let classCount = representatives.count
        guard classCount <= Self.maxClasses else { return nil }
        var asciiClasses = [UInt16](repeating: 0, count: 128)
        var nonASCIIStarts: [UInt32] = []
        var nonASCIIClasses: [UInt16] = []
        for (i, start) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1] - 1 : RegexCharSet.maxCodePoint
            if start < 128 {
                for c in start...min(end, 127) { asciiClasses[Int(c)] = UInt16(intervalClasses[i]) }
            }
            if end >= 128 {
                nonASCIIStarts.append(max(start, 128))
                nonASCIIClasses.append(UInt16(intervalClasses[i]))
            }
        }

        // 2. Subset construction.
        var closure = Closure(code: code)
        let later = closure.compute(from: [0], atStart: false, atEnd: false)
        let initial = closure.compute(from: [0], atStart: true, atEnd: false)
        struct Key: Hashable { var threads: [Int32]; var initial: Bool; var matched: Bool }
        var stateIndex: [Key: Int32] = [:]
        var stateThreads: [[Int32]] = []
        var stateInitial: [Bool] = []
        var flags: [UInt8] = []
        var transitions: [Int32] = []
        var work = 0

        func addState(_ threads: [Int32], matched: Bool, initial: Bool) -> Int32 {
            // Once matched, nothing else matters: all matched states are one state.
            let key = matched ? Key(threads: [], initial: false, matched: true) : Key(threads: threads, initial: initial, matched: false)
            if let existing = stateIndex[key] { return existing }
            let index = Int32(stateThreads.count)
            stateIndex[key] = index
            stateThreads.append(key.threads)
            stateInitial.append(key.initial)
            flags.append(matched ? Self.flagMatched : (threads.isEmpty ? Self.flagDead : 0))
            return index
        }

        _ = addState(initial.threads, matched: initial.matched, initial: true)
        var next = 0
        while next < stateThreads.count {
            let state = next
            next += 1
            transitions.append(contentsOf: repeatElement(Int32(state), count: classCount))
            guard flags[state] & (Self.flagMatched | Self.flagDead) == 0 else { continue }
            let threads = stateThreads[state]
            // Accepting at the end: a pending `$` that leads to a match.
            var ends: [Int] = []
            for pc in threads {
                if case .assertEnd = code[Int(pc)] { ends.append(Int(pc) + 1) }
            }
            if !ends.isEmpty, closure.compute(from: ends, atStart: stateInitial[state], atEnd: true).matched {
                flags[state] |= Self.flagAcceptsAtEnd
            }
            for cls in 0..<classCount {
                let c = representatives[cls]
                var targets: [Int] = []
                for pc in threads {
                    switch code[Int(pc)] {
                    case .scalar(let s, _) where s == c: targets.append(Int(pc) + 1)
                    case .set(let i, _) where program.sets[i].contains(c): targets.append(Int(pc) + 1)
                    default: break
                    }
                }
                let step = closure.compute(from: targets, atStart: false, atEnd: false)
                work += closure.lastWork + threads.count
                var merged = step.threads
                if !later.threads.isEmpty {
                    merged = Array(Set(merged).union(later.threads)).sorted()
                }
                let target = addState(merged, matched: step.matched || later.matched, initial: false)
                transitions[state * classCount + cls] = target
                if stateThreads.count > Self.maxStates || work > Self.maxWork { return nil }
            }
        }
        self.classCount = classCount
        self.nonASCIIStarts = nonASCIIStarts
        self.nonASCIIClasses = nonASCIIClasses
        // Fold terminal states into the entries, so that the matching loop is one load and one
        // sign test per code point.
        func entry(_ state: Int32) -> Int32 {
            let flag = flags[Int(state)]
            if flag & Self.flagMatched != 0 { return Self.matchedEntry }
            if flag & Self.flagDead != 0 { return Self.deadEntry }
            return state
        }
        let stateCount = flags.count
        var ascii = [Int32](repeating: Self.deadEntry, count: stateCount << 7)
        for state in 0..<stateCount {
            for byte in 0..<128 {
                ascii[state << 7 | byte] = entry(transitions[state * classCount + Int(asciiClasses[byte])])
            }
        }
        var loops = [UInt64](repeating: 0, count: stateCount * 2)
        for state in 0..<stateCount {
            for byte in 0..<128 where ascii[state << 7 | byte] == Int32(state) {
                loops[state * 2 + byte / 64] |= 1 << UInt64(byte % 64)
            }
        }
        self.asciiTransitions = .allocate(capacity: ascii.count)
        _ = self.asciiTransitions.initialize(from: ascii)
        self.selfLoops = .allocate(capacity: loops.count)
        _ = self.selfLoops.initialize(from: loops)
        self.acceptsAtEnd = .allocate(capacity: flags.count)
        _ = self.acceptsAtEnd.initialize(from: flags.map { $0 & Self.flagAcceptsAtEnd != 0 })
        self.transitions = transitions.map(entry)
        self.start = entry(0)
    }

    deinit {
        asciiTransitions.deallocate()
        selfLoops.deallocate()
        acceptsAtEnd.deallocate()
    }

    /// Epsilon closure over the program (no lookaround, no backreferences).
    private struct Closure {
        let code: [RegexInstruction]
        var marks: [UInt32]
        var generation: UInt32 = 0
        var stack: [Int] = []
        var lastWork = 0

        init(code: [RegexInstruction]) {
            self.code = code
            marks = [UInt32](repeating: 0, count: code.count)
        }

        /// The consuming instructions and pending `$` reachable from `pcs`, and whether `match` is.
        mutating func compute(from pcs: [Int], atStart: Bool, atEnd: Bool) -> (threads: [Int32], matched: Bool) {
            generation += 1
            var threads: [Int32] = []
            var matched = false
            lastWork = 0
            stack.removeAll(keepingCapacity: true)
            for pc in pcs.reversed() { stack.append(pc) }
            while let pc = stack.popLast() {
                guard marks[pc] != generation else { continue }
                marks[pc] = generation
                lastWork += 1
                switch code[pc] {
                case .scalar, .set:
                    threads.append(Int32(pc))
                case .split(let a, let b):
                    stack.append(b)
                    stack.append(a)
                case .jump(let target):
                    stack.append(target)
                case .save, .clearCaptures, .markProgress, .checkProgress:
                    stack.append(pc + 1)
                case .assertStart:
                    if atStart { stack.append(pc + 1) }
                case .assertEnd:
                    if atEnd { stack.append(pc + 1) } else { threads.append(Int32(pc)) }
                case .match:
                    matched = true
                case .wordBoundary, .backreference, .lookaround, .lookaroundSucceeded:
                    break // excluded by the caller
                }
            }
            threads.sort()
            return (threads, matched)
        }
    }

    @inline(__always)
    private func nonASCIIClass(_ c: UInt32) -> Int {
        var lo = 0
        var hi = nonASCIIStarts.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if nonASCIIStarts[mid] <= c { lo = mid } else { hi = mid }
        }
        return Int(nonASCIIClasses[lo])
    }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start >= 0 else { return start == Self.matchedEntry }
        let ascii = asciiTransitions
        let loops = selfLoops
        var state = Int(start)
        var low = loops[state &* 2]
        var high = loops[state &* 2 &+ 1]
        var i = 0
        let count = bytes.count
        while i < count {
            var b = bytes[i]
            // Skip the run of bytes that keep the automaton in this state.
            while b < 0x80, (b < 64 ? low >> UInt64(b) : high >> UInt64(b &- 64)) & 1 != 0 {
                i &+= 1
                if i == count { return acceptsAtEnd[state] }
                b = bytes[i]
            }
            let next: Int32
            if b < 0x80 {
                next = ascii[state &<< 7 | Int(b)]
                i &+= 1
            } else {
                let (c, length) = UTF8Scalars.decode(bytes, at: i)
                next = transitions[state &* classCount &+ nonASCIIClass(c)]
                i &+= length
            }
            if next < 0 { return next == Self.matchedEntry }
            state = Int(next)
            low = loops[state &* 2]
            high = loops[state &* 2 &+ 1]
        }
        return acceptsAtEnd[state]
    }
}
