/// A saved plan that no longer fits: the state moved on since it was made, or the stack's
/// code changed. Terraform refuses a stale plan file the same way ("Saved plan is stale").
public enum SavedPlanError: Error, Sendable, CustomStringConvertible {
    /// The plan was made against state that is gone now.
    case stateGone(origin: String)
    /// The state has another lineage: it is another state.
    case otherLineage(origin: String, planned: String, current: String)
    /// The state was written since the plan was made.
    case stale(origin: String, planned: Int, current: Int)
    /// Re-planning from the saved plan's prior state gives other changes: the code changed.
    case codeChanged(origin: String)
    /// Another stack the plan read outputs from has been applied since.
    case stackReferenceMoved(origin: String, reference: String, stack: String, planned: Int, current: Int)

    /// Checks that `plan` still fits `state` (nil when none was ever written).
    /// - Throws: the mismatch.
    static func check(_ saved: Deployment.SavedPlan, against state: StateFile?) throws {
        let plan = saved.plan
        guard let state else {
            guard plan.serial == 0, plan.prior.resources.isEmpty else { throw stateGone(origin: saved.origin) }
            return
        }
        guard state.lineage == plan.lineage else {
            throw otherLineage(origin: saved.origin, planned: plan.lineage, current: state.lineage)
        }
        guard state.serial == plan.serial else { throw stale(origin: saved.origin, planned: plan.serial, current: state.serial) }
    }

    public var description: String {
        switch self {
        case .stateGone(let origin):
            return "\(origin) was made against state that no longer exists; run `imgstack plan` again"
        case .otherLineage(let origin, let planned, let current):
            return "\(origin) was made for another state (lineage \(planned), state has \(current)); run `imgstack plan` again"
        case .stale(let origin, let planned, let current):
            return "\(origin) is stale: the state changed since the plan was made (serial \(planned), now \(current)); run `imgstack plan` again"
        case .stackReferenceMoved(let origin, let reference, let stack, let planned, let current):
            return "\(origin) was made with the outputs of stack \(stack) (\(Address(type: Address.stackReferenceType, name: reference))) at serial \(planned); "
                + "that stack's state is now at serial \(current); run `imgstack plan` again"
        case .codeChanged(let origin):
            return "\(origin) no longer matches the stack's code (it changed since the plan was made); run `imgstack plan` again"
        }
    }
}
