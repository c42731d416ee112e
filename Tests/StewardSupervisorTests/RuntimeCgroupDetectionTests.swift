import Foundation
import Glibc
import Testing

@testable import StewardSupervisor

/// `CgroupMemory.detect` on made-up `/proc/self/cgroup` and mountinfo texts whose mounts point
/// into a temporary directory laid out like a cgroup file system.
@Suite("CgroupMemory: layout detection")
struct RuntimeCgroupDetectionTests {
    let directory = RuntimeTestDirectory()

    func make(_ path: String, file: String? = nil, contents: String = "") throws {
        try FileManager.default.createDirectory(atPath: directory.file(path), withIntermediateDirectories: true)
        if let file { try contents.write(toFile: directory.file(path + "/" + file), atomically: false, encoding: .utf8) }
    }

    @Test func findsV1WhenTheUnifiedMountHasNoMemoryController() throws {
        // As on this machine: a hybrid layout, the memory mount's root is not "/".
        try make("memory/abc", file: "memory.limit_in_bytes", contents: "9223372036854771712\n")
        try make("unified", file: "cgroup.controllers", contents: "\n")
        let cgroup = "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n0::/\n"
        let mountInfo = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / \(directory.path)/cpu rw,relatime - cgroup cgroup rw,cpu
            35 31 0:32 /process_api \(directory.path)/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / \(directory.path)/unified rw,relatime shared:9 - cgroup2 cgroup2 rw
            """
        let layout = try #require(CgroupMemory.detect(procSelfCgroup: cgroup, mountInfo: mountInfo))
        #expect(layout == CgroupMemory(version: .v1, base: directory.file("memory/abc/steward")))
        #expect(FileManager.default.fileExists(atPath: directory.file("memory/abc/steward")))
        #expect(layout.owns(directory.file("memory/abc/steward/web-0-x")))
        #expect(!layout.owns(directory.file("memory/abc/steward")))
        #expect(!layout.owns(directory.file("memory/abc/steward/web-0-x/inner")))
        #expect(!layout.owns(directory.file("memory/abc/other")))
    }

    @Test func findsV2AndTurnsTheMemoryControllerOnForItsChildren() throws {
        try make("unified/system.slice/steward.service", file: "cgroup.controllers", contents: "cpu io memory pids\n")
        try make("unified/system.slice/steward.service", file: "cgroup.subtree_control", contents: "")
        try make("unified/system.slice/steward.service/steward", file: "cgroup.subtree_control", contents: "")
        let cgroup = "0::/system.slice/steward.service\n"
        let mountInfo = "25 21 0:23 / \(directory.path)/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
        let layout = try #require(CgroupMemory.detect(procSelfCgroup: cgroup, mountInfo: mountInfo))
        let own = directory.file("unified/system.slice/steward.service")
        #expect(layout == CgroupMemory(version: .v2, base: own + "/steward"))
        #expect(directory.read("unified/system.slice/steward.service/cgroup.subtree_control") == "+memory")
        #expect(directory.read("unified/system.slice/steward.service/steward/cgroup.subtree_control") == "+memory")

        // A later run that finds itself in the leaf `supervisor` uses the same base.
        let again = CgroupMemory.detect(procSelfCgroup: "0::/system.slice/steward.service/supervisor\n", mountInfo: mountInfo)
        #expect(again == layout)
    }

    @Test func theOwnGroupsLimitIsTheNodesMemoryWhenSet() throws {
        // v1 writes "no limit" as about 2^63; v2 as "max".
        try make("memory/abc", file: "memory.limit_in_bytes", contents: "9223372036854771712\n")
        try make("unified/svc", file: "memory.max", contents: "max\n")
        let mountInfo = """
            35 31 0:32 / \(directory.path)/memory rw,relatime - cgroup cgroup rw,memory
            41 31 0:38 / \(directory.path)/unified rw,relatime - cgroup2 cgroup2 rw
            """
        let cgroup = "4:memory:/abc\n0::/svc\n"
        #expect(CgroupMemory.ownLimit(procSelfCgroup: cgroup, mountInfo: mountInfo) == nil)
        try make("memory/abc", file: "memory.limit_in_bytes", contents: "1073741824\n")
        #expect(CgroupMemory.ownLimit(procSelfCgroup: cgroup, mountInfo: mountInfo) == 1 << 30)
        try make("unified/svc", file: "memory.max", contents: "536870912\n")
        #expect(CgroupMemory.ownLimit(procSelfCgroup: cgroup, mountInfo: mountInfo) == 1 << 29)
        #expect(CgroupMemory.ownLimit(procSelfCgroup: nil, mountInfo: mountInfo) == nil)
    }

    @Test func findsNothingWithoutAMemoryController() throws {
        try make("unified", file: "cgroup.controllers", contents: "cpu pids\n")
        let mountInfo = "25 21 0:23 / \(directory.path)/unified rw - cgroup2 cgroup2 rw\n"
        #expect(CgroupMemory.detect(procSelfCgroup: "0::/\n", mountInfo: mountInfo) == nil)
        #expect(CgroupMemory.detect(procSelfCgroup: nil, mountInfo: mountInfo) == nil)
        // A memory line whose mount is missing.
        #expect(CgroupMemory.detect(procSelfCgroup: "4:memory:/x\n0::/\n", mountInfo: mountInfo) == nil)
    }

    @Test func readsEscapedMountPoints() throws {
        try make("with space/abc", file: "memory.limit_in_bytes", contents: "1\n")
        let escaped = directory.path + "/with\\040space"
        let mountInfo = "35 31 0:32 / \(escaped) rw,relatime - cgroup cgroup rw,memory\n"
        let layout = CgroupMemory.detect(procSelfCgroup: "4:memory:/abc\n", mountInfo: mountInfo)
        #expect(layout?.base == directory.file("with space/abc/steward"))
    }
}
