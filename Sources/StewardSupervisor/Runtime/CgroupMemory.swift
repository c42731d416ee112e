import CStewardSystem
import Glibc

/// The memory cgroup of this machine, found at init, and a group per instance under the
/// supervisor's own group: `<own>/steward/<instanceID>`.
///
/// cgroup v2: a `cgroup2` mount whose group of this process (the `0::` line of
/// `/proc/self/cgroup`) lists `memory` in `cgroup.controllers`; v1: the `memory` line of
/// `/proc/self/cgroup` and the `cgroup` mount with the `memory` option in
/// `/proc/self/mountinfo`. Nil from `detect()` when neither is there (or writable).
struct CgroupMemory: Sendable, Equatable {
    enum Version: Sendable, Equatable {
        case v1, v2
    }

    let version: Version
    /// `<own group>/steward`: the parent of every instance group this supervisor makes.
    let base: String

    /// The layout of this machine, or nil when there is no usable memory cgroup.
    static func detect(
        procSelfCgroup: String? = ProcFS.read("/proc/self/cgroup"),
        mountInfo: String? = ProcFS.read("/proc/self/mountinfo")
    ) -> CgroupMemory? {
        guard let procSelfCgroup, let mountInfo else { return nil }
        let mounts = mountInfo.split(separator: "\n").compactMap(Mount.init)
        let (v1Path, v2Path) = ownGroups(procSelfCgroup)
        if var v2Path, let mount = mounts.first(where: { $0.type == "cgroup2" }) {
            // An earlier run moved itself into the leaf `<own>/supervisor` (see prepareBase).
            if v2Path.hasSuffix("/supervisor") { v2Path = String(v2Path.dropLast("/supervisor".count)) }
            if v2Path.isEmpty { v2Path = "/" }
            if let own = mount.directory(for: v2Path),
                ProcFS.read(own + "/cgroup.controllers")?.split(whereSeparator: \.isWhitespace).contains("memory") == true
            {
                let candidate = CgroupMemory(version: .v2, base: own + "/steward")
                if candidate.prepareBase() { return candidate }
            }
        }
        if let v1Path,
            let mount = mounts.first(where: { $0.type == "cgroup" && $0.superOptions.contains("memory") }),
            let own = mount.directory(for: v1Path), access(own + "/memory.limit_in_bytes", F_OK) == 0
        {
            let candidate = CgroupMemory(version: .v1, base: own + "/steward")
            if candidate.prepareBase() { return candidate }
        }
        return nil
    }

    /// This process's groups in `/proc/self/cgroup`: the v1 `memory` hierarchy's and the v2
    /// (`0::`) one.
    static func ownGroups(_ procSelfCgroup: String) -> (v1: String?, v2: String?) {
        var groups: (v1: String?, v2: String?) = (nil, nil)
        for line in procSelfCgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0", parts[1].isEmpty {
                groups.v2 = String(parts[2])
            } else if parts[1].split(separator: ",").contains("memory") {
                groups.v1 = String(parts[2])
            }
        }
        return groups
    }

    /// The memory limit of this process's own group (v2 `memory.max`, v1
    /// `memory.limit_in_bytes`), read without changing anything; nil when there is none.
    static func ownLimit(
        procSelfCgroup: String? = ProcFS.read("/proc/self/cgroup"),
        mountInfo: String? = ProcFS.read("/proc/self/mountinfo")
    ) -> Int64? {
        guard let procSelfCgroup, let mountInfo else { return nil }
        let mounts = mountInfo.split(separator: "\n").compactMap(Mount.init)
        let (v1Path, v2Path) = ownGroups(procSelfCgroup)
        func limit(_ path: String?, mount: Mount?, file: String) -> Int64? {
            guard let path, let own = mount?.directory(for: path),
                let text = ProcFS.read(own + "/" + file)?.trimmingCharacters(in: " \n")
            else { return nil }
            return Int64(text)  // v2 writes "no limit" as "max"
        }
        let v2 = limit(v2Path, mount: mounts.first { $0.type == "cgroup2" }, file: "memory.max")
        // v1 writes "no limit" as about 2^63.
        let v1 = limit(v1Path, mount: mounts.first { $0.type == "cgroup" && $0.superOptions.contains("memory") }, file: "memory.limit_in_bytes")
            .flatMap { $0 < 1 << 60 ? $0 : nil }
        return [v1, v2].compactMap { $0 }.min()
    }

    /// Makes `<own>/steward`; in v2 also turns the memory controller on for the children of
    /// the own group and of `steward`. v2 allows that only in a group without processes of its
    /// own: when the supervisor is alone in its group (a service's cgroup), it moves itself into
    /// the leaf `<own>/supervisor` first; when others live there too, v2 is not used.
    private func prepareBase() -> Bool {
        let own = String(base.dropLast("/steward".count))
        if mkdir(base, 0o755) != 0, errno != EEXIST { return false }
        guard version == .v2 else { return true }
        for directory in [own, base] {
            let enabled = ProcFS.read(directory + "/cgroup.subtree_control")?
                .split(whereSeparator: \.isWhitespace).contains("memory") ?? false
            if enabled { continue }
            var result = ProcFS.write(directory + "/cgroup.subtree_control", "+memory")
            if result == EBUSY, directory == own, moveSelfToLeaf(of: own) {
                result = ProcFS.write(directory + "/cgroup.subtree_control", "+memory")
            }
            if result != 0 { return false }
        }
        return true
    }

    /// Moves this process from `own` into `<own>/supervisor` when it is the only one in `own`.
    private func moveSelfToLeaf(of own: String) -> Bool {
        let members = ProcFS.read(own + "/cgroup.procs")?.split(separator: "\n").compactMap { Int32($0) } ?? []
        guard members == [getpid()] else { return false }
        let leaf = own + "/supervisor"
        if mkdir(leaf, 0o755) != 0, errno != EEXIST { return false }
        return ProcFS.write(leaf + "/cgroup.procs", "\(getpid())") == 0
    }

    /// Creates (or reuses) the leaf group of an instance and sets its limit. Nil on failure.
    func createGroup(instanceID: String, limit: Int64) -> String? {
        let name = String(instanceID.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
        guard !name.isEmpty, name != ".", name != ".." else { return nil }
        let directory = base + "/" + name
        if mkdir(directory, 0o755) != 0, errno != EEXIST { return nil }
        guard setLimit(directory, limit) else {
            rmdir(directory)
            return nil
        }
        return directory
    }

    /// Sets the limit of a group (swap included, so it cannot dodge the limit).
    @discardableResult
    func setLimit(_ directory: String, _ limit: Int64) -> Bool {
        switch version {
        case .v1:
            let memsw = directory + "/memory.memsw.limit_in_bytes"
            let hasMemsw = access(memsw, F_OK) == 0
            // memsw may never be below the limit: lower the limit first, raise memsw first.
            if ProcFS.write(directory + "/memory.limit_in_bytes", "\(limit)") == 0 {
                if hasMemsw { ProcFS.write(memsw, "\(limit)") }
            } else {
                guard hasMemsw, ProcFS.write(memsw, "\(limit)") == 0,
                    ProcFS.write(directory + "/memory.limit_in_bytes", "\(limit)") == 0
                else { return false }
            }
            // Deprecated (and refused) on recent kernels; charges stay with the parent then.
            ProcFS.write(directory + "/memory.move_charge_at_immigrate", "1")
            return true
        case .v2:
            guard ProcFS.write(directory + "/memory.max", "\(limit)") == 0 else { return false }
            if access(directory + "/memory.swap.max", F_OK) == 0 { ProcFS.write(directory + "/memory.swap.max", "0") }
            // The OOM killer ends the whole instance, not one of its processes.
            if access(directory + "/memory.oom.group", F_OK) == 0 { ProcFS.write(directory + "/memory.oom.group", "1") }
            return true
        }
    }

    /// Runs `spawn` so that the process it starts is born in `directory`, when the layout
    /// allows: v1 places threads one by one, so the calling thread moves into the group for
    /// the spawn (the child inherits the thread's group) and back to the supervisor's group
    /// right after; the supervisor's own memory stays charged where it was (charges follow the
    /// process, not the thread). Nothing the instance allocates escapes the limit then.
    /// `inside` false: the caller moves the process itself (v2, or the thread could not move).
    func spawning<E: Error>(
        into directory: String, _ spawn: () throws(E) -> pid_t
    ) throws(E) -> (pid: pid_t, inside: Bool) {
        guard version == .v1 else { return (try spawn(), false) }
        let thread = steward_gettid()
        guard ProcFS.write(directory + "/tasks", "\(thread)") == 0 else { return (try spawn(), false) }
        defer { ProcFS.write(String(base.dropLast("/steward".count)) + "/tasks", "\(thread)") }
        return (try spawn(), true)
    }

    /// Moves a process into a group. False when the kernel refuses.
    func move(_ pid: Int32, into directory: String) -> Bool {
        ProcFS.write(directory + "/cgroup.procs", "\(pid)") == 0
    }

    /// How many processes of the group the OOM killer ended.
    func oomKills(_ directory: String) -> Int {
        let file = directory + (version == .v1 ? "/memory.oom_control" : "/memory.events")
        guard let text = ProcFS.read(file) else { return 0 }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == "oom_kill" { return Int(parts[1]) ?? 0 }
        }
        return 0
    }

    /// The group's memory use in bytes.
    func usage(_ directory: String) -> Int64? {
        let file = directory + (version == .v1 ? "/memory.usage_in_bytes" : "/memory.current")
        return ProcFS.read(file).flatMap { Int64($0.trimmingCharacters(in: " \n")) }
    }

    /// Whether `directory` is a group this layout makes (so the runtime removes no other).
    func owns(_ directory: String) -> Bool {
        directory.hasPrefix(base + "/") && !directory.dropFirst(base.count + 1).contains("/")
    }

    /// Removes a group, retrying for up to two seconds while exiting tasks still hold it.
    /// Processes of the ended instance still in it (children that left its process group)
    /// are killed: nothing of an ended instance may keep running.
    func removeGroup(_ directory: String) async -> Bool {
        for attempt in 0..<200 {
            if rmdir(directory) == 0 || errno == ENOENT { return true }
            guard errno == EBUSY else { return false }
            if attempt % 10 == 0 { killMembers(directory) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    private func killMembers(_ directory: String) {
        if version == .v2, ProcFS.write(directory + "/cgroup.kill", "1") == 0 { return }
        let members = ProcFS.read(directory + "/cgroup.procs")?.split(separator: "\n").compactMap { Int32($0) } ?? []
        for pid in members where pid > 1 { kill(pid, SIGKILL) }
    }

    /// One line of `/proc/self/mountinfo`: `id parent major:minor root mountpoint options
    /// [optional fields] - type source superoptions`.
    private struct Mount {
        var root: String
        var mountPoint: String
        var type: String
        var superOptions: [Substring]

        init?(_ line: Substring) {
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, dash + 1 < fields.count else { return nil }
            root = Mount.unescape(fields[3])
            mountPoint = Mount.unescape(fields[4])
            type = String(fields[dash + 1])
            superOptions = dash + 3 < fields.count ? fields[dash + 3].split(separator: ",") : []
        }

        /// The directory of the group `path` (as in /proc/self/cgroup) under this mount.
        func directory(for path: String) -> String? {
            var relative = path
            if root != "/" {
                guard path == root || path.hasPrefix(root + "/") else { return nil }
                relative = String(path.dropFirst(root.count))
            }
            if relative == "/" { relative = "" }
            return mountPoint + relative
        }

        /// mountinfo writes space, tab, newline and backslash as octal escapes (`\040`).
        static func unescape(_ field: Substring) -> String {
            guard field.contains("\\") else { return String(field) }
            var bytes: [UInt8] = []
            var utf8 = Array(field.utf8)[...]
            while let byte = utf8.popFirst() {
                if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                    let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
                {
                    bytes.append(value)
                    utf8 = utf8.dropFirst(3)
                } else {
                    bytes.append(byte)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in characters: String) -> Substring {
        var s = self[...]
        while let first = s.first, characters.contains(first) { s = s.dropFirst() }
        while let last = s.last, characters.contains(last) { s = s.dropLast() }
        return s
    }
}
