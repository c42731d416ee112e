/// The parsed form of an ECMA-262 pattern.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(UInt32)
    case set(RegexCharSet)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `(...)` (capturing when `capture` is set, 1-based) or `(?:...)`.
    case group(RegexNode, capture: Int?)
    /// `max == nil` means unbounded. `offset` is where the quantifier is in the pattern.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool, offset: Int)
    case startAnchor
    case endAnchor
    case wordBoundary(negated: Bool)
    /// `\1` or `\k<name>`, resolved to a group number.
    case backreference(Int)
    case lookaround(RegexNode, behind: Bool, negated: Bool)

    /// True when the node can match without consuming input.
    var canMatchEmpty: Bool {
        switch self {
        case .empty, .startAnchor, .endAnchor, .wordBoundary, .backreference, .lookaround: return true
        case .scalar, .set: return false
        case .concatenation(let nodes): return nodes.allSatisfy { $0.canMatchEmpty }
        case .alternation(let nodes): return nodes.contains { $0.canMatchEmpty }
        case .group(let node, _): return node.canMatchEmpty
        case .repetition(let node, let min, _, _, _): return min == 0 || node.canMatchEmpty
        }
    }

    /// The capture group numbers inside this node.
    var captureRange: ClosedRange<Int>? {
        switch self {
        case .group(let node, let capture):
            let inner = node.captureRange
            guard let capture else { return inner }
            return capture...(inner?.upperBound ?? capture)
        case .concatenation(let nodes), .alternation(let nodes):
            var low: Int? = nil
            var high: Int? = nil
            for node in nodes {
                if let r = node.captureRange {
                    low = low.map { Swift.min($0, r.lowerBound) } ?? r.lowerBound
                    high = high.map { Swift.max($0, r.upperBound) } ?? r.upperBound
                }
            }
            if let low, let high { return low...high }
            return nil
        case .repetition(let node, _, _, _, _), .lookaround(let node, _, _):
            return node.captureRange
        default:
            return nil
        }
    }

    /// True when every way through the node starts with `^`.
    var isAnchoredAtStart: Bool {
        switch self {
        case .startAnchor: return true
        case .concatenation(let nodes): return nodes.first?.isAnchoredAtStart ?? false
        case .alternation(let nodes): return !nodes.isEmpty && nodes.allSatisfy { $0.isAnchoredAtStart }
        case .group(let node, _): return node.isAnchoredAtStart
        case .repetition(let node, let min, _, _, _): return min > 0 && node.isAnchoredAtStart
        default: return false
        }
    }
}
