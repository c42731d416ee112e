/// A deterministic automaton built ahead of time from a program without backreferences,
/// lookaround or word boundaries: matching costs one table lookup per code point.
///
/// Code points are grouped into classes that every set and literal of the program treats
/// alike; ASCII classes come from a 128-entry table, others from a binary search. The search is
/// unanchored: every state also holds the threads that a match starting later would have.
/// Construction gives up (and the caller uses ``RegexPikeVM``) past ``maxStates`` states or
/// ``maxWork`` units of work, so a pattern cannot make compilation explode.
struct RegexDFA: Sendable {
    static let maxStates = 1_000
    static let maxClasses = 1_024
    static let maxWork = 4_000_000

    private static let flagMatched: UInt8 = 1
    private static let flagAcceptsAtEnd: UInt8 = 2
    private static let flagDead: UInt8 = 4

    private let classCount: Int
    private let asciiClasses: [UInt16]
    /// Starts (all ≥ 128) of the non-ASCII intervals, and their classes.
    private let nonASCIIStarts: [UInt32]
    private let nonASCIIClasses: [UInt16]
    /// Row offset (state × class count) of the next state, or ``matchedEntry`` / ``deadEntry``.
    private let transitions: [Int32]
    /// Per state: whether reaching the end of the input there is a match.
    private let acceptsAtEnd: [Bool]
    /// The start state: a row offset, or ``matchedEntry`` / ``deadEntry``.
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
        self.asciiClasses = asciiClasses
        self.nonASCIIStarts = nonASCIIStarts
        self.nonASCIIClasses = nonASCIIClasses
        // Pre-scale targets and fold terminal states into the entries, so that the matching
        // loop is one load and one sign test per code point.
        func entry(_ state: Int32) -> Int32 {
            let flag = flags[Int(state)]
            if flag & Self.flagMatched != 0 { return Self.matchedEntry }
            if flag & Self.flagDead != 0 { return Self.deadEntry }
            return state * Int32(classCount)
        }
        self.transitions = transitions.map(entry)
        self.acceptsAtEnd = flags.map { $0 & Self.flagAcceptsAtEnd != 0 }
        self.start = entry(0)
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
        return transitions.withUnsafeBufferPointer { transitions in
            asciiClasses.withUnsafeBufferPointer { ascii in
                var row = Int(start)
                var i = 0
                let count = bytes.count
                while i < count {
                    let b = bytes[i]
                    let cls: Int
                    if b < 0x80 {
                        cls = Int(ascii[Int(b)])
                        i &+= 1
                    } else {
                        let (c, length) = UTF8Scalars.decode(bytes, at: i)
                        cls = nonASCIIClass(c)
                        i &+= length
                    }
                    let next = transitions[row &+ cls]
                    if next < 0 { return next == Self.matchedEntry }
                    row = Int(next)
                }
                return acceptsAtEnd[row / classCount]
            }
        }
    }
}
