/// A bound on the provider's calls in flight at once, shared by every operation handed it in
/// its ``OperationContext/callSlots``: how a refresh holds `--parallelism` to calls, not to
/// resources, so a resource's independent reads and other resources' reads fill every slot.
///
/// The provider takes a slot for each attempt of each call, for as long as the request is on
/// the wire (not while a retry waits), and gives it back when the answer has come. Waiting
/// callers get slots in the order they asked.
public actor CallSlots {
    /// How many calls may be in flight at once (at least 1).
    public let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The first of `waiting` not yet resumed: a queue that moves its elements only now and then.
    private var head = 0

    /// Creates slots for `limit` calls (at least 1).
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a free slot and takes it; pair with ``release()``.
    public func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a slot back, to the longest waiting caller if there is one.
    public func release() {
        guard head < waiting.count else {
            inUse -= 1
            return
        }
        let next = waiting[head]
        head += 1
        // Resumed waiters are dropped once they are half the array: the queue stays as long as
        // its waiters, not as the refresh's calls.
        if head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        next.resume()
    }
}
