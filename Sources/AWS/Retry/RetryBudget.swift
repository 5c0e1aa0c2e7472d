import Foundation

/// The retry token bucket of the SDKs' standard mode, shared by every call of one client.
///
/// It starts full (500 tokens). A retry costs 5 tokens (10 after a timeout); a success gives
/// back what its last retry cost, or 1 token when it needed none. When the bucket cannot pay,
/// errors are returned without retrying: during an outage the client stops multiplying load.
public actor RetryBudget {
    /// Tokens a full bucket holds.
    public let capacity: Int
    /// Tokens available now.
    public private(set) var available: Int

    /// Tokens a retry after a throttling or transient error costs.
    public static let retryCost = 5
    /// Tokens a retry after a timeout costs.
    public static let timeoutCost = 10
    /// Tokens a success without retries gives back.
    public static let successRefund = 1

    /// Creates a full bucket.
    /// - Parameter capacity: 500 in the SDKs.
    public init(capacity: Int = 500) {
        self.capacity = capacity
        self.available = capacity
    }

    /// What retrying an error of `kind` costs.
    public static func cost(of kind: RetryPolicy.ErrorKind) -> Int {
        kind == .timeout ? timeoutCost : retryCost
    }

    /// Takes `cost` tokens if there are enough.
    /// - Returns: false when the bucket cannot pay (then do not retry).
    public func withdraw(_ cost: Int) -> Bool {
        guard available >= cost else { return false }
        available -= cost
        return true
    }

    /// Puts tokens back after a success: the cost of its last retry, or `successRefund`.
    /// - Parameter paid: what the call's last retry cost, 0 if it had none.
    public func recordSuccess(refunding paid: Int) {
        available = min(capacity, available + (paid > 0 ? paid : Self.successRefund))
    }
}
