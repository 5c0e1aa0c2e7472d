/// A bound on the calls in flight through the clients that share it (``AWSClient/gated(by:)``):
/// each attempt acquires a place before its request goes out and releases it when the answer
/// (or the transport's error) has come.
public protocol CallGate: Sendable {
    /// Waits until one more call may go out, and takes that place.
    func acquire() async
    /// Gives back a place taken with ``acquire()``.
    func release() async
}
