import StewardServer
import StewardSupervisor

/// `steward server` reads the instance logs of this node from the supervisor's files. The
/// conformance lives here because neither target sees the other: the server defines the
/// protocol, the supervisor the files.
extension InstanceLogFiles: InstanceLogSource {}
