import CStewardSystem
import Glibc

/// Starts processes with Glibc's `posix_spawn`, each in a session of its own.
///
/// Not `Foundation.Process` and not swift-subprocess: both tie a process's life to the object
/// or scope that started it (subprocess's `run` waits for the process before it returns, and
/// neither can watch or signal a process that is not its own child). Steward's instances
/// must outlive the supervisor and be adopted by the next one by pid and start time, so the
/// runtime spawns with `posix_spawn` and follows processes with pidfds, which work for any pid.
enum ProcessSpawner {
    /// Where the new process's stdout and stderr go: this descriptor (a log file or a pipe),
    /// duplicated onto 1 and 2. stdin is always `/dev/null`.
    ///
    /// Spawns `command` in a new session (`setsid`: its pid is its process group), with
    /// `environment` as its whole environment, in `workingDirectory`, with no signal blocked
    /// or ignored, and no descriptor of this process but 0, 1 and 2.
    static func spawn(
        _ command: [String], environment: [String: String], workingDirectory: String?, output: Int32
    ) throws(InstanceStartError) -> pid_t {
        guard let name = command.first, !name.isEmpty else {
            throw InstanceStartError("the command is empty: give at least the program to run")
        }
        if let workingDirectory { try checkWorkingDirectory(workingDirectory) }
        let executable = try resolveExecutable(name, environment: environment, workingDirectory: workingDirectory)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        steward_spawn_file_actions_addclosefrom(&actions, 3)
        if let workingDirectory { steward_spawn_file_actions_addchdir(&actions, workingDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes,
            steward_posix_spawn_setsid_flag() | Int16(POSIX_SPAWN_SETSIGMASK) | Int16(POSIX_SPAWN_SETSIGDEF)
        )
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        steward_sigset_all_catchable(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)

        let argv = CStringArray(command)
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" })
        defer {
            argv.free()
            envp.free()
        }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        // ETXTBSY: someone holds the program open for writing; often only for a moment, as when
        // another thread's spawn has copied the descriptor of a file just written and not yet
        // closed it in its child. Retry briefly.
        var retries = 0
        while result == ETXTBSY, retries < 10 {
            retries += 1
            usleep(UInt32(1000 * retries))
            result = posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        }
        guard result == 0 else {
            throw InstanceStartError(spawnErrorMessage(result, executable: executable, workingDirectory: workingDirectory))
        }
        return pid
    }

    /// Checks the directory the process is to start in, so that the error names it.
    static func checkWorkingDirectory(_ path: String) throws(InstanceStartError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InstanceStartError("working directory \(path): \(errorText(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw InstanceStartError("working directory \(path): not a directory")
        }
        guard access(path, X_OK) == 0 else {
            throw InstanceStartError("working directory \(path): \(errorText(errno))")
        }
    }

    /// The path to execute: `name` itself when it holds a slash (relative to the working
    /// directory), else the first executable file named so in the `PATH` of `environment`
    /// (`/usr/local/bin:/usr/bin:/bin` without one). `posix_spawnp` would search the
    /// supervisor's own `PATH` instead.
    static func resolveExecutable(
        _ name: String, environment: [String: String], workingDirectory: String?
    ) throws(InstanceStartError) -> String {
        if name.contains("/") {
            let path = absolute(name, in: workingDirectory)
            try checkExecutable(path)
            return path
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var notExecutable: String?
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = absolute((directory.isEmpty ? "." : String(directory)) + "/" + name, in: workingDirectory)
            var info = stat()
            guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
            notExecutable = notExecutable ?? candidate
        }
        if let notExecutable {
            throw InstanceStartError("\(notExecutable): permission denied (not executable)")
        }
        throw InstanceStartError("\(name): command not found in PATH \(searchPath)")
    }

    /// Checks that `path` is an executable file, so that the error names it.
    static func checkExecutable(_ path: String) throws(InstanceStartError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InstanceStartError("\(path): \(errorText(errno))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw InstanceStartError("\(path): is a directory (not executable)")
        }
        guard access(path, X_OK) == 0 else {
            throw InstanceStartError("\(path): permission denied (not executable)")
        }
    }

    /// Opens (appending; created 0640 with its parent directories) the file that receives a
    /// process's output. The descriptor is close-on-exec: only its duplicates 1 and 2 reach
    /// the child.
    static func openLog(_ path: String) throws(InstanceStartError) -> Int32 {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        if fd < 0, errno == ENOENT {
            try makeDirectories(parentOf: path)
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        }
        guard fd >= 0 else { throw InstanceStartError("log file \(path): \(errorText(errno))") }
        return fd
    }

    /// `mkdir -p` of the directory that holds `path`.
    static func makeDirectories(parentOf path: String) throws(InstanceStartError) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let parent = String(path[..<slash])
        var prefix = parent.hasPrefix("/") ? "" : "."
        for component in parent.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw InstanceStartError("log directory \(prefix): \(errorText(errno))")
            }
        }
    }

    static func absolute(_ path: String, in directory: String?) -> String {
        guard !path.hasPrefix("/"), let directory else { return path }
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    static func spawnErrorMessage(_ code: Int32, executable: String, workingDirectory: String?) -> String {
        switch code {
        case EACCES: "\(executable): permission denied (not executable)"
        case ETXTBSY: "\(executable): text file busy (it is open for writing)"
        case ENOEXEC: "\(executable): exec format error (not a program or a script with #!)"
        case ENOENT where workingDirectory != nil && access(workingDirectory!, F_OK) != 0:
            "working directory \(workingDirectory!): no such file or directory"
        case ENOENT where access(executable, F_OK) == 0:
            // The program is there: the kernel did not find the interpreter of its `#!` line.
            "\(executable): its interpreter \(interpreter(of: executable) ?? "(#! line)") was not found"
        default: "\(executable): \(errorText(code))"
        }
    }

    /// The program named in the `#!` line of a script.
    static func interpreter(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 256)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 2, head[0] == UInt8(ascii: "#"), head[1] == UInt8(ascii: "!") else { return nil }
        let line = head[2..<count].prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
    }

    /// `strerror` in lower case, as the messages say it ("no such file or directory").
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }
}

/// A nil-terminated array of C strings for `argv` and `envp`, freed explicitly.
struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    func free() {
        for index in 0..<count { Glibc.free(pointers[index]) }
        pointers.deallocate()
    }
}
