/// One instruction of a compiled pattern. Instructions that consume input carry a direction:
/// lookbehind bodies are compiled to read backwards, as ECMA-262 specifies.
enum RegexInstruction: Sendable {
    /// Consume one code point equal to the value.
    case scalar(UInt32, backward: Bool)
    /// Consume one code point in `program.sets[index]`.
    case set(Int, backward: Bool)
    /// Continue at the first target; on failure, at the second.
    case split(Int, Int)
    case jump(Int)
    /// Record the current position in a capture slot (2n = start, 2n+1 = end of group n).
    case save(Int)
    /// Reset the capture slots of groups `range` (at the start of each repetition).
    case clearCaptures(ClosedRange<Int>)
    case assertStart
    case assertEnd
    case wordBoundary(negated: Bool)
    case backreference(Int, backward: Bool)
    /// Body starts at the next instruction and ends with `lookaroundSucceeded`; matching
    /// continues at `next`.
    case lookaround(behind: Bool, negated: Bool, next: Int)
    case lookaroundSucceeded
    /// Remember the position at the start of a repetition's iteration in a register.
    case markProgress(Int)
    /// Fail when the iteration consumed nothing (ECMA-262 RepeatMatcher's empty check).
    case checkProgress(Int)
    case match
}

/// A compiled pattern: instructions, the character sets they refer to, and facts the matchers
/// use to choose a strategy.
struct RegexProgram: Sendable {
    /// Limit on the number of instructions, reached by large counted repetitions.
    static let maxInstructions = 100_000

    var instructions: [RegexInstruction] = []
    var sets: [RegexCharSet] = []
    var captureCount = 0
    var registerCount = 0
    var hasBackreferences = false
    var hasLookaround = false
    var hasWordBoundary = false
    var anchoredAtStart = false

    /// Compiles a parsed pattern. Capture slots are kept only when a backreference can read them,
    /// since `matches` reports no captures.
    static func compile(_ parsed: RegexParser.Result, pattern: String) throws(RegexSyntaxError) -> RegexProgram {
        var compiler = Compiler(
            pattern: pattern, keepCaptures: parsed.hasBackreferences,
            backtracking: parsed.hasBackreferences || parsed.hasLookaround)
        compiler.program.captureCount = parsed.captureCount
        compiler.program.hasBackreferences = parsed.hasBackreferences
        compiler.program.anchoredAtStart = parsed.node.isAnchoredAtStart
        try compiler.emit(parsed.node, backward: false)
        compiler.append(.match)
        return compiler.program
    }

    private struct Compiler {
        let pattern: String
        let keepCaptures: Bool
        /// The program will run on ``RegexBacktracker``, which needs the empty-iteration check.
        let backtracking: Bool
        var program = RegexProgram()
        var setIndex: [RegexCharSet: Int] = [:]

        init(pattern: String, keepCaptures: Bool, backtracking: Bool) {
            self.pattern = pattern
            self.keepCaptures = keepCaptures
            self.backtracking = backtracking
        }

        var pc: Int { program.instructions.count }

        @discardableResult
        mutating func append(_ instruction: RegexInstruction) -> Int {
            program.instructions.append(instruction)
            return program.instructions.count - 1
        }

        mutating func patch(_ at: Int, _ instruction: RegexInstruction) {
            program.instructions[at] = instruction
        }

        mutating func checkSize(offset: Int) throws(RegexSyntaxError) {
            if pc > RegexProgram.maxInstructions {
                throw RegexSyntaxError(
                    pattern: pattern,
                    message: "pattern too large: repetitions expand to more than \(RegexProgram.maxInstructions) instructions",
                    offset: offset)
            }
        }

        mutating func emit(_ node: RegexNode, backward: Bool) throws(RegexSyntaxError) {
            switch node {
            case .empty:
                break
            case .scalar(let c):
                append(.scalar(c, backward: backward))
            case .set(let set):
                let index: Int
                if let existing = setIndex[set] {
                    index = existing
                } else {
                    index = program.sets.count
                    program.sets.append(set)
                    setIndex[set] = index
                }
                append(.set(index, backward: backward))
            case .concatenation(let nodes):
                if backward {
                    for node in nodes.reversed() { try emit(node, backward: backward) }
                } else {
                    for node in nodes { try emit(node, backward: backward) }
                }
            case .alternation(let nodes):
                var jumps: [Int] = []
                for (i, alternative) in nodes.enumerated() {
                    if i < nodes.count - 1 {
                        let split = append(.split(pc + 1, -1))
                        try emit(alternative, backward: backward)
                        jumps.append(append(.jump(-1)))
                        patch(split, .split(split + 1, pc))
                    } else {
                        try emit(alternative, backward: backward)
                    }
                }
                for jump in jumps { patch(jump, .jump(pc)) }
            case .group(let inner, let capture):
                if let capture, keepCaptures {
                    append(.save(backward ? 2 * capture + 1 : 2 * capture))
                    try emit(inner, backward: backward)
                    append(.save(backward ? 2 * capture : 2 * capture + 1))
                } else {
                    try emit(inner, backward: backward)
                }
            case .repetition(let inner, let min, let max, let greedy, let offset):
                try emitRepetition(inner, min: min, max: max, greedy: greedy, offset: offset, backward: backward)
            case .startAnchor:
                append(.assertStart)
            case .endAnchor:
                append(.assertEnd)
            case .wordBoundary(let negated):
                program.hasWordBoundary = true
                append(.wordBoundary(negated: negated))
            case .backreference(let number):
                append(.backreference(number, backward: backward))
            case .lookaround(let inner, let behind, let negated):
                program.hasLookaround = true
                let start = append(.lookaround(behind: behind, negated: negated, next: -1))
                try emit(inner, backward: behind)
                append(.lookaroundSucceeded)
                patch(start, .lookaround(behind: behind, negated: negated, next: pc))
            }
        }

        mutating func emitRepetition(
            _ inner: RegexNode, min: Int, max: Int?, greedy: Bool, offset: Int, backward: Bool
        ) throws(RegexSyntaxError) {
            if max == 0 { return }
            let captures = keepCaptures ? inner.captureRange : nil
            // Iterations after the minimum must consume something (ECMA-262's empty check);
            // only the backtracking matcher needs this, to terminate and to get captures right.
            let needsProgressCheck = backtracking && inner.canMatchEmpty
            for _ in 0..<min {
                let before = pc
                if let captures { append(.clearCaptures(captures)) }
                try emit(inner, backward: backward)
                try checkSize(offset: offset)
                // An iteration that emits nothing (an empty group) needs no copies.
                if pc == before { break }
            }
            guard let max else {
                // loop: split(body, exit); body; jump loop
                let loop = append(.split(-1, -1))
                var register = -1
                if needsProgressCheck {
                    register = program.registerCount
                    program.registerCount += 1
                    append(.markProgress(register))
                }
                if let captures { append(.clearCaptures(captures)) }
                try emit(inner, backward: backward)
                if needsProgressCheck { append(.checkProgress(register)) }
                append(.jump(loop))
                let exit = pc
                patch(loop, greedy ? .split(loop + 1, exit) : .split(exit, loop + 1))
                try checkSize(offset: offset)
                return
            }
            // Optional copies: (x(x(x)?)?)? — each split exits to the common end.
            var splits: [Int] = []
            var register = -1
            if needsProgressCheck {
                register = program.registerCount
                program.registerCount += 1
            }
            for _ in min..<max {
                splits.append(append(.split(-1, -1)))
                if needsProgressCheck { append(.markProgress(register)) }
                if let captures { append(.clearCaptures(captures)) }
                try emit(inner, backward: backward)
                if needsProgressCheck { append(.checkProgress(register)) }
                try checkSize(offset: offset)
            }
            let exit = pc
            for split in splits {
                patch(split, greedy ? .split(split + 1, exit) : .split(exit, split + 1))
            }
        }
    }
}
