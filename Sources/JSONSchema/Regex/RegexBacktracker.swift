/// The general matcher, for programs with backreferences or lookaround: depth-first search in
/// ECMA-262 priority order with an explicit stack (no recursion), so that captures, atomic
/// lookaround and backreferences behave as the specification says.
///
/// Backtracking can take exponential time on hostile patterns, so one call may execute at most
/// ``stepBudget`` instructions plus ``stepsPerByte`` per byte of input (so that an ordinary
/// scan of a long string always fits) and hold at most ``maxStackDepth`` saved states; past
/// either the outcome is ``Outcome/budgetExhausted``.
enum RegexBacktracker {
    static let stepBudget = 5_000_000
    static let stepsPerByte = 32
    static let maxStackDepth = 1_000_000

    enum Outcome {
        case matched
        case noMatch
        case budgetExhausted
    }

    /// A saved state: a branch to resume, a value to restore on the way back, or the start of
    /// an active lookaround.
    private struct Frame {
        enum Kind: UInt8 {
            case branch
            case restoreSlot
            case restoreRegister
            case lookaround
        }

        var kind: Kind
        /// Program counter (branch, lookaround), slot or register number.
        var index: Int32
        /// Input position (branch, lookaround) or the value to restore.
        var value: Int
    }

    static func search(_ program: RegexProgram, _ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        let code = program.instructions
        let count = bytes.count
        var slots = [Int](repeating: -1, count: 2 * (program.captureCount + 1))
        var registers = [Int](repeating: -1, count: program.registerCount)
        var stack: [Frame] = []
        var lookarounds: [Int] = [] // stack indices of active lookaround frames
        var steps = 0
        let budget = stepBudget + stepsPerByte * count

        var start = 0
        while start <= count {
            var pc = 0
            var position = start
            run: while true {
                steps += 1
                if steps > budget || stack.count > maxStackDepth { return .budgetExhausted }
                var failed = false
                switch code[pc] {
                case .scalar(let c, let backward):
                    if !backward, position < count {
                        let (s, length) = UTF8Scalars.decode(bytes, at: position)
                        if s == c { position += length; pc += 1 } else { failed = true }
                    } else if backward, position > 0 {
                        let (s, length) = UTF8Scalars.decode(bytes, before: position)
                        if s == c { position -= length; pc += 1 } else { failed = true }
                    } else {
                        failed = true
                    }
                case .set(let index, let backward):
                    if !backward, position < count {
                        let (s, length) = UTF8Scalars.decode(bytes, at: position)
                        if program.sets[index].contains(s) { position += length; pc += 1 } else { failed = true }
                    } else if backward, position > 0 {
                        let (s, length) = UTF8Scalars.decode(bytes, before: position)
                        if program.sets[index].contains(s) { position -= length; pc += 1 } else { failed = true }
                    } else {
                        failed = true
                    }
                case .split(let first, let second):
                    stack.append(Frame(kind: .branch, index: Int32(second), value: position))
                    pc = first
                case .jump(let target):
                    pc = target
                case .save(let slot):
                    stack.append(Frame(kind: .restoreSlot, index: Int32(slot), value: slots[slot]))
                    slots[slot] = position
                    pc += 1
                case .clearCaptures(let groups):
                    for slot in (2 * groups.lowerBound)...(2 * groups.upperBound + 1) where slots[slot] != -1 {
                        stack.append(Frame(kind: .restoreSlot, index: Int32(slot), value: slots[slot]))
                        slots[slot] = -1
                    }
                    pc += 1
                case .assertStart:
                    if position == 0 { pc += 1 } else { failed = true }
                case .assertEnd:
                    if position == count { pc += 1 } else { failed = true }
                case .wordBoundary(let negated):
                    let before = position > 0 && RegexCharSet.isWordCharacter(UTF8Scalars.decode(bytes, before: position).scalar)
                    let after = position < count && RegexCharSet.isWordCharacter(UTF8Scalars.decode(bytes, at: position).scalar)
                    if (before != after) != negated { pc += 1 } else { failed = true }
                case .backreference(let group, let backward):
                    let from = slots[2 * group]
                    let to = slots[2 * group + 1]
                    if from < 0 || to < 0 {
                        pc += 1 // a group that did not participate matches the empty string
                    } else {
                        let length = to - from
                        let at = backward ? position - length : position
                        if at >= 0, at + length <= count, equalBytes(bytes, from, at, length) {
                            position = backward ? at : at + length
                            pc += 1
                        } else {
                            failed = true
                        }
                    }
                case .lookaround:
                    stack.append(Frame(kind: .lookaround, index: Int32(pc), value: position))
                    lookarounds.append(stack.count - 1)
                    pc += 1
                case .lookaroundSucceeded:
                    let marker = lookarounds.removeLast()
                    let frame = stack[marker]
                    guard case .lookaround(_, let negated, let next) = code[Int(frame.index)] else {
                        preconditionFailure("lookaround frame without a lookaround instruction")
                    }
                    if negated {
                        // The body matched, so the negative lookaround fails: undo its effects.
                        while stack.count > marker + 1 {
                            undo(stack.removeLast(), &slots, &registers)
                        }
                        stack.removeLast()
                        failed = true
                    } else {
                        // Lookarounds are atomic: drop the body's branches, keep its restores.
                        var write = marker
                        for k in (marker + 1)..<stack.count where stack[k].kind != .branch {
                            stack[write] = stack[k]
                            write += 1
                        }
                        stack.removeLast(stack.count - write)
                        position = frame.value
                        pc = next
                    }
                case .markProgress(let register):
                    stack.append(Frame(kind: .restoreRegister, index: Int32(register), value: registers[register]))
                    registers[register] = position
                    pc += 1
                case .checkProgress(let register):
                    if registers[register] == position { failed = true } else { pc += 1 }
                case .match:
                    return .matched
                }
                guard failed else { continue }
                // Backtrack to the most recent branch.
                while let frame = stack.popLast() {
                    switch frame.kind {
                    case .branch:
                        pc = Int(frame.index)
                        position = frame.value
                        continue run
                    case .restoreSlot, .restoreRegister:
                        undo(frame, &slots, &registers)
                    case .lookaround:
                        lookarounds.removeLast()
                        if case .lookaround(_, true, let next) = code[Int(frame.index)] {
                            // The body failed, so the negative lookaround succeeds.
                            pc = next
                            position = frame.value
                            continue run
                        }
                    }
                }
                break run
            }
            if program.anchoredAtStart { break }
            start += 1
            while start < count, !UTF8Scalars.isBoundary(bytes, start) { start += 1 }
        }
        return .noMatch
    }

    @inline(__always)
    private static func undo(_ frame: Frame, _ slots: inout [Int], _ registers: inout [Int]) {
        switch frame.kind {
        case .restoreSlot: slots[Int(frame.index)] = frame.value
        case .restoreRegister: registers[Int(frame.index)] = frame.value
        case .branch, .lookaround: break
        }
    }

    private static func equalBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ length: Int) -> Bool {
        var k = 0
        while k < length {
            if bytes[a + k] != bytes[b + k] { return false }
            k += 1
        }
        return true
    }
}
