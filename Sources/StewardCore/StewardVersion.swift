/// The version of Steward: `steward --version` prints it.
public enum StewardVersion {
    /// The release this source tree is or leads to, in semantic-versioning form.
    public static let current = "0.1.0"
}
