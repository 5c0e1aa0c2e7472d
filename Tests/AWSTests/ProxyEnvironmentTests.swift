import XCTest
@testable import AWS

/// The proxy settings read from the environment, as Terraform and the AWS CLI read them.
final class ProxyEnvironmentTests: XCTestCase {
    private func url(_ text: String) throws -> URL { try XCTUnwrap(URL(string: text)) }

    func testEachSchemeHasItsOwnProxyAndTheUpperCaseNameComesFirst() throws {
        let proxies = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://secure:8443", "https_proxy": "http://ignored:1",
                                                         "http_proxy": "plain:3128"])
        XCTAssertEqual(proxies.proxy(for: try url("https://s3.eu-west-1.amazonaws.com/b")), .init(host: "secure", port: 8443, credentials: nil))
        XCTAssertEqual(proxies.proxy(for: try url("http://127.0.0.1:5000/")), .init(host: "plain", port: 3128, credentials: nil))
        XCTAssertNil(try ProxyEnvironment(environment: ["HTTP_PROXY": "http://p:1"]).proxy(for: try url("https://sts.amazonaws.com/")),
                     "HTTP_PROXY is not used for https URLs")
        XCTAssertNil(try ProxyEnvironment(environment: ["HTTPS_PROXY": " "]).proxy(for: try url("https://sts.amazonaws.com/")))
    }

    func testAProxyWithoutAPortIsOnPort80AndItsCredentialsArePercentDecoded() throws {
        let proxy = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://ci%40corp:pa%3Ass@proxy.corp"]).proxy(for: try url("https://iam.amazonaws.com/"))
        XCTAssertEqual(proxy, .init(host: "proxy.corp", port: 80, credentials: .init(user: "ci@corp", password: "pa:ss")))
    }

    func testNoProxyMatchesHostsDomainsPortsAndStar() throws {
        let environment = ["HTTPS_PROXY": "http://p:1", "HTTP_PROXY": "http://p:1",
                           "NO_PROXY": "169.254.169.254, .internal.corp,example.com, localhost:5000"]
        let proxies = try ProxyEnvironment(environment: environment)
        for direct in ["http://169.254.169.254/latest/api/token", "https://vpce.internal.corp/", "https://internal.corp/",
                       "https://example.com/", "https://s3.EXAMPLE.com/", "http://localhost:5000/"] {
            XCTAssertNil(proxies.proxy(for: try url(direct)), direct)
        }
        for proxied in ["https://sts.amazonaws.com/", "https://notexample.com/", "http://localhost:5001/", "https://example.com.evil/"] {
            XCTAssertNotNil(proxies.proxy(for: try url(proxied)), proxied)
        }
        var everything = environment
        everything["NO_PROXY"] = "*"
        XCTAssertNil(try ProxyEnvironment(environment: everything).proxy(for: try url("https://sts.amazonaws.com/")))
    }

    func testAProxyThatIsNotHTTPIsRefusedNamingTheVariable() {
        for setting in ["https://proxy.corp:443", "socks5://proxy.corp:1080", "http://"] {
            XCTAssertThrowsError(try ProxyEnvironment(environment: ["https_proxy": setting]), setting) { error in
                XCTAssertEqual((error as? AWSClientError)?.kind, .invalidConfiguration)
                XCTAssertTrue(String(describing: error).contains("https_proxy=\(setting)"), String(describing: error))
            }
        }
    }
}
