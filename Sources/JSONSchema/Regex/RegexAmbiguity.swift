/// Finds repetitions that make the backtracking matcher take exponential time: a loop that can
/// read the same text in two different ways (`(a|a)*`, `(a+)+`, `(\w|\d)*`), so that a string
/// the rest of the pattern refuses is retried in every combination of ways.
///
/// The search runs on the compiled program as a nondeterministic automaton: a state is an
/// instruction that reads one code point; anchors, word boundaries and backreferences are
/// treated as always passing, and lookarounds as skipped (their bodies are examined on their
/// own). In the product of the automaton with itself, a state pair `(p, q)` is live when the
/// two instructions can read the same code point. A loop is exponential exactly when a
/// strongly connected part of that product holds both a pair `(c, c)` and a pair `(p, q)` with
/// `p ≠ q`, or when it contains a step from `(c, c)` to `(d, d)` along two different paths
/// (Weideman et al., "Analyzing matching time behavior of backtracking regular expression
/// matchers by using ambiguity of NFA", 2016).
///
/// The analysis gives up (answers nil) on programs with more than ``maxReaders`` reading
/// instructions or past ``maxWork`` steps.
enum RegexAmbiguity {
    static let maxReaders = 96
    static let maxWork = 2_000_000

    /// Whether some loop of `program` can read the same text in two different ways; nil when
    /// the analysis gave up.
    static func hasExponentialLoop(_ program: RegexProgram) -> Bool? {
        let code = program.instructions
        var readers: [Int] = []
        var index = [Int](repeating: -1, count: code.count)
        for (pc, instruction) in code.enumerated() {
            switch instruction {
            case .scalar, .set:
                index[pc] = readers.count
                readers.append(pc)
            default:
                break
            }
        }
        let n = readers.count
        guard n > 0 else { return false }
        guard n <= maxReaders else { return nil }
        var work = 0

        // What each reader can read, as ranges.
        let reads: [[ClosedRange<UInt32>]] = readers.map { pc in
            switch code[pc] {
            case .scalar(let c, _): return [c...c]
            case .set(let i, _): return program.sets[i].ranges
            default: return []
            }
        }
        // The readers reachable from each reader without reading, with the number of distinct
        // paths (at most 2) that reach them. An iteration's progress check fails on a path that
        // passed the iteration's start without reading, as it does when matching.
        var successors: [[(reader: Int, paths: Int)]] = []
        var visits = [UInt8](repeating: 0, count: code.count)
        var marked = [Int](repeating: 0, count: program.registerCount)
        for pc in readers {
            var counts = [Int](repeating: 0, count: n)
            var stack: [(pc: Int, next: Int)] = []
            func enter(_ target: Int) {
                guard target < code.count, visits[target] < 3 else { return }
                if case .checkProgress(let register) = code[target], marked[register] > 0 { return }
                if case .markProgress(let register) = code[target] { marked[register] += 1 }
                visits[target] += 1
                stack.append((target, 0))
            }
            enter(pc + 1)
            while let top = stack.last {
                work += 1
                if work > maxWork { return nil }
                let reader = index[top.pc]
                let targets = reader >= 0 ? [] : epsilonTargets(code, top.pc)
                if top.next < targets.count {
                    stack[stack.count - 1].next += 1
                    enter(targets[top.next])
                    continue
                }
                if reader >= 0 { counts[reader] = min(2, counts[reader] + 1) }
                if case .markProgress(let register) = code[top.pc] { marked[register] -= 1 }
                visits[top.pc] -= 1
                stack.removeLast()
            }
            successors.append(counts.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) })
        }

        var overlaps = [Bool?](repeating: nil, count: n * n)
        func live(_ a: Int, _ b: Int) -> Bool {
            if let known = overlaps[a * n + b] { return known }
            let result = intersect(reads[a], reads[b])
            overlaps[a * n + b] = result
            overlaps[b * n + a] = result
            return result
        }

        // Tarjan's strongly connected components over live pairs, iteratively.
        let count = n * n
        var order = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var component = [Int](repeating: -1, count: count)
        var sccStack: [Int] = []
        var counter = 0
        var components = 0
        func edges(_ node: Int) -> [(to: Int, twice: Bool)] {
            let (a, b) = (node / n, node % n)
            var out: [(Int, Bool)] = []
            for (x, px) in successors[a] {
                for (y, _) in successors[b] where live(x, y) {
                    out.append((x * n + y, a == b && x == y && px > 1))
                }
            }
            return out
        }
        var adjacency = [[(to: Int, twice: Bool)]?](repeating: nil, count: count)
        for root in 0..<count where order[root] < 0 && live(root / n, root % n) {
            var call: [(node: Int, next: Int)] = [(root, 0)]
            order[root] = counter; low[root] = counter; counter += 1
            sccStack.append(root); onStack[root] = true
            while let (node, next) = call.last {
                if adjacency[node] == nil {
                    adjacency[node] = edges(node)
                    work += adjacency[node]!.count + 1
                    if work > maxWork { return nil }
                }
                let out = adjacency[node]!
                if next < out.count {
                    call[call.count - 1].next += 1
                    let to = out[next].to
                    if order[to] < 0 {
                        order[to] = counter; low[to] = counter; counter += 1
                        sccStack.append(to); onStack[to] = true
                        call.append((to, 0))
                    } else if onStack[to] {
                        low[node] = min(low[node], order[to])
                    }
                    continue
                }
                call.removeLast()
                if let parent = call.last { low[parent.node] = min(low[parent.node], low[node]) }
                if low[node] == order[node] {
                    while let member = sccStack.popLast() {
                        onStack[member] = false
                        component[member] = components
                        if member == node { break }
                    }
                    components += 1
                }
            }
        }

        // A component with a diagonal and an off-diagonal pair, or a doubled diagonal step.
        var hasDiagonal = [Bool](repeating: false, count: components)
        var hasOffDiagonal = [Bool](repeating: false, count: components)
        for node in 0..<count where component[node] >= 0 {
            if node / n == node % n { hasDiagonal[component[node]] = true } else { hasOffDiagonal[component[node]] = true }
        }
        for c in 0..<components where hasDiagonal[c] && hasOffDiagonal[c] { return true }
        for node in 0..<count where component[node] >= 0 {
            for edge in adjacency[node] ?? [] where edge.twice && component[edge.to] == component[node] { return true }
        }
        return false
    }

    /// Where control can go from `pc` without reading.
    private static func epsilonTargets(_ code: [RegexInstruction], _ pc: Int) -> [Int] {
        switch code[pc] {
        case .split(let a, let b): return [a, b]
        case .jump(let target): return [target]
        case .lookaround(_, _, let next): return [next]
        case .save, .clearCaptures, .markProgress, .checkProgress, .assertStart, .assertEnd, .wordBoundary, .backreference:
            return [pc + 1]
        case .lookaroundSucceeded, .match, .scalar, .set:
            return []
        }
    }

    /// Whether two sorted range lists share a code point.
    private static func intersect(_ a: [ClosedRange<UInt32>], _ b: [ClosedRange<UInt32>]) -> Bool {
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i].overlaps(b[j]) { return true }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return false
    }
}
