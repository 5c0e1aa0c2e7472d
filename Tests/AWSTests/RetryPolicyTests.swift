import XCTest
@testable import AWS

final class RetryPolicyTests: XCTestCase {
    private let throttled = HTTPResponse.xml(400, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
    private let unavailable = HTTPResponse.xml(503, "")
    private let success = HTTPResponse.xml(200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account><Arn>a</Arn><UserId>u</UserId></GetCallerIdentityResult></GetCallerIdentityResponse>")

    func testThrottlingTransientAndConnectionErrorsAreRetryableOthersNot() {
        let aws = { (code: String, status: Int) in AWSError(service: "s", operation: "o", statusCode: status, code: code, message: "") }
        let url = URL(fileURLWithPath: "/")
        XCTAssertEqual(RetryPolicy.classify(aws("ThrottlingException", 400)), .throttling)
        XCTAssertEqual(RetryPolicy.classify(aws("SlowDown", 503)), .throttling)
        XCTAssertEqual(RetryPolicy.classify(aws("TooManyRequestsException", 429)), .throttling)
        XCTAssertEqual(RetryPolicy.classify(aws("RequestTimeout", 400)), .transient)
        XCTAssertEqual(RetryPolicy.classify(aws("InternalFailure", 502)), .transient)
        XCTAssertEqual(RetryPolicy.classify(aws("ConcurrentModification", 409)), .transient)
        XCTAssertEqual(RetryPolicy.classify(TransportError(kind: .connectionReset, url: url, detail: "")), .transient)
        XCTAssertEqual(RetryPolicy.classify(TransportError(kind: .cannotConnect, url: url, detail: "")), .transient)
        XCTAssertEqual(RetryPolicy.classify(TransportError(kind: .timedOut, url: url, detail: "")), .timeout)
        XCTAssertNil(RetryPolicy.classify(aws("AccessDenied", 403)))
        XCTAssertNil(RetryPolicy.classify(aws("ValidationError", 400)))
        XCTAssertNil(RetryPolicy.classify(AWSClientError(.noCredentials, "none")))
    }

    func testDelayIsFullJitterCappedAtMaximum() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 20)
        for retry in 0..<10 {
            let delay = policy.delay(beforeRetry: retry)
            XCTAssertGreaterThanOrEqual(delay, 0)
            XCTAssertLessThanOrEqual(delay, min(pow(2, Double(retry)), 20))
        }
    }

    func testThrottleThenSuccessRetriesOnceAndResignsEachAttempt() async throws {
        let transport = ScriptedTransport([throttled, success])
        let identity = try await scriptedClient(transport).sts.getCallerIdentity()
        XCTAssertEqual(identity.account, "1")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertTrue(transport.requests.allSatisfy { $0.headers["Authorization"] != nil && $0.headers["X-Amz-Date"] != nil })
    }

    /// IAM refuses a change while another to the same role is in progress and asks for it again
    /// (`ConcurrentModificationException`, 409): the writes imgstack sends together must not fail on it.
    func testIAMsConcurrentModificationIsSentAgain() async throws {
        let conflict = HTTPResponse.xml(409, "<ErrorResponse><Error><Code>ConcurrentModification</Code><Message>multiple requests to change this object were submitted simultaneously</Message></Error></ErrorResponse>")
        let deleted = HTTPResponse.xml(200, "<DeleteRolePolicyResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteRolePolicyResponse>")
        let transport = ScriptedTransport([conflict, deleted])
        try await scriptedClient(transport).iam.deleteRolePolicy(role: "app", name: "logs")
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testServiceUnavailableThenResetThenSuccessTakesThreeAttempts() async throws {
        let transport = ScriptedTransport([unavailable, .failure(.connectionReset), success])
        _ = try await scriptedClient(transport).sts.getCallerIdentity()
        XCTAssertEqual(transport.requests.count, 3)
    }

    func testGivesUpAfterMaxAttemptsWithTheLastError() async {
        let transport = ScriptedTransport([throttled])
        do {
            _ = try await scriptedClient(transport).sts.getCallerIdentity()
            XCTFail("expected throttling error")
        } catch {
            XCTAssertEqual((error as? AWSError)?.code, "Throttling")
        }
        XCTAssertEqual(transport.requests.count, 3)
    }

    func testNonRetryableErrorIsReturnedAtOnce() async {
        let transport = ScriptedTransport([HTTPResponse.xml(403, "<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>"), success])
        do {
            _ = try await scriptedClient(transport).sts.getCallerIdentity()
            XCTFail("expected AccessDenied")
        } catch {
            XCTAssertEqual((error as? AWSError)?.code, "AccessDenied")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testExhaustedBudgetStopsRetrying() async {
        let transport = ScriptedTransport([throttled, success])
        let client = scriptedClient(transport)
        while await client.retryBudget.withdraw(RetryBudget.retryCost) {}
        do {
            _ = try await client.sts.getCallerIdentity()
            XCTFail("expected throttling error")
        } catch {
            XCTAssertEqual((error as? AWSError)?.code, "Throttling")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testBudgetChargesRetriesAndRefundsOnSuccess() async throws {
        let budget = RetryBudget(capacity: 500)
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.001)
        let url = URL(fileURLWithPath: "/")
        let result = try await policy.run(budget: budget) { attempt in
            if attempt == 1 { throw TransportError(kind: .timedOut, url: url, detail: "") }
            return attempt
        }
        XCTAssertEqual(result, 2)
        // Paid 10 for the timeout retry, got the 10 back on success.
        let afterRetriedSuccess = await budget.available
        XCTAssertEqual(afterRetriedSuccess, 500)
        _ = await budget.withdraw(5)
        _ = try await policy.run(budget: budget) { _ in 0 }
        let afterPlainSuccess = await budget.available
        XCTAssertEqual(afterPlainSuccess, 496)
    }

    func testUnreachableEndpointAfterRetriesIsAClientError() async {
        let transport = ScriptedTransport([.failure(.cannotConnect)])
        do {
            _ = try await scriptedClient(transport).sts.getCallerIdentity()
            XCTFail("expected endpointUnreachable")
        } catch let error as AWSClientError {
            XCTAssertEqual(error.kind, .endpointUnreachable)
            XCTAssertTrue(error.message.hasPrefix("cannot reach sts at http://127.0.0.1:5000"))
        } catch {
            XCTFail("unexpected \(error)")
        }
        XCTAssertEqual(transport.requests.count, 3)
    }
}
