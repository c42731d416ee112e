import StewardCore

/// What to do when an instance ended on its own: the restart policy as one pure function of the
/// exit, how long the instance ran and the replica's crash streak (Nomad's restart tracker).
public enum RestartDecision: Sendable, Hashable {
    /// Start a new instance after `delay` (zero: at once); `reason` is shown while waiting.
    case restart(after: Duration, reason: String)
    /// Do not restart: the replica ends in `state` with `reason`.
    case end(InstanceState, reason: String)

    /// The decision for an instance of a service with `spec` that ended with `exit` after
    /// running `ranFor`, `crashStreak` being the replica's consecutive quick crashes before
    /// this one. Returns the decision and the new streak.
    ///
    /// An instance that ran at least `backoff.resetAfter` starts the streak over, so it
    /// restarts at once; each further crash within `resetAfter` of its start doubles the delay
    /// (by `backoff.factor`) from `backoff.initial` up to `backoff.max`.
    public static func decide(
        spec: ProcessDeploymentSpec, exit: InstanceExit, oomKilled: Bool, ranFor: Duration, crashStreak: Int
    ) -> (RestartDecision, crashStreak: Int) {
        let failed = oomKilled || !exit.isSuccess
        let reason = oomKilled ? "OOMKilled" : (failed ? "Error" : "Completed")
        let restart: Bool
        switch spec.restartPolicy {
        case .always: restart = true
        case .onFailure: restart = failed
        case .never: restart = false
        }
        guard restart else {
            return (.end(failed ? .failed : .stopped, reason: reason), crashStreak)
        }
        let streak = ranFor >= spec.backoff.resetAfter ? 1 : crashStreak + 1
        let delay = spec.backoff.delay(consecutiveCrashes: streak)
        return (.restart(after: delay, reason: delay > .zero ? "CrashLoopBackOff" : reason), streak)
    }
}
