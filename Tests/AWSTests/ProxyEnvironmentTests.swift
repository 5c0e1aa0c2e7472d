import XCTest
@testable import AWS

/// The proxy settings read from the environment, as Terraform (Go's `httpproxy`) reads them.
final class ProxyEnvironmentTests: XCTestCase {
    private func url(_ text: String) throws -> URL { try XCTUnwrap(URL(string: text)) }

    func testEachSchemeHasItsOwnProxyAndTheUpperCaseNameComesFirst() throws {
        let proxies = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://secure:8443", "https_proxy": "http://ignored:1",
                                                         "http_proxy": "plain:3128"])
        XCTAssertEqual(proxies.proxy(for: try url("https://s3.eu-west-1.amazonaws.com/b")), .init(host: "secure", port: 8443, credentials: nil))
        XCTAssertEqual(proxies.proxy(for: try url("http://emulator.corp:5000/")), .init(host: "plain", port: 3128, credentials: nil))
        XCTAssertNil(try ProxyEnvironment(environment: ["HTTP_PROXY": "http://p:1"]).proxy(for: try url("https://sts.amazonaws.com/")),
                     "HTTP_PROXY is not used for https URLs")
        XCTAssertNil(try ProxyEnvironment(environment: ["HTTPS_PROXY": " "]).proxy(for: try url("https://sts.amazonaws.com/")))
    }

    func testAProxysPortCredentialsAndIPv6AddressAreRead() throws {
        let proxy = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://ci%40corp:pa%3Ass@proxy.corp"]).proxy(for: try url("https://iam.amazonaws.com/"))
        XCTAssertEqual(proxy, .init(host: "proxy.corp", port: 80, credentials: .init(user: "ci@corp", password: "pa:ss")))
        let v6 = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://[fd00::3]:3128"]).proxy(for: try url("https://iam.amazonaws.com/"))
        XCTAssertEqual(v6?.host, "fd00::3")
    }

    func testNoProxyMatchesHostsDomainsAddressBlocksPortsAndStarAsGoDoes() throws {
        let environment = ["HTTPS_PROXY": "http://p:1", "HTTP_PROXY": "http://p:1",
                           "NO_PROXY": "169.254.169.254, .internal.corp,example.com, emulator.corp:5000, *.vpce.aws, 10.0.0.0/8, [fd00::1]:8080, fd00::2"]
        let proxies = try ProxyEnvironment(environment: environment)
        for direct in ["http://169.254.169.254/latest/api/token", "https://vpce.internal.corp/",
                       "https://example.com/", "https://s3.EXAMPLE.com/", "http://emulator.corp:5000/", "https://a.vpce.aws/",
                       "https://10.1.2.3/", "http://[::ffff:10.1.2.3]/", "http://[fd00::1]:8080/", "http://[fd00:0:0::2]/"] {
            XCTAssertNil(proxies.proxy(for: try url(direct)), direct)
        }
        // A leading "." or "*." names only what is under the domain, as in Go's httpproxy.
        for proxied in ["https://sts.amazonaws.com/", "https://notexample.com/", "http://emulator.corp:5001/", "https://example.com.evil/",
                        "https://11.0.0.1/", "http://[fd00::1]:8081/", "https://internal.corp/", "https://vpce.aws/"] {
            XCTAssertNotNil(proxies.proxy(for: try url(proxied)), proxied)
        }
        var everything = environment
        everything["NO_PROXY"] = "*"
        XCTAssertNil(try ProxyEnvironment(environment: everything).proxy(for: try url("https://sts.amazonaws.com/")))
    }

    func testLocalhostAndLoopbackAddressesAreNeverProxied() throws {
        let proxies = try ProxyEnvironment(environment: ["HTTPS_PROXY": "http://p:1", "HTTP_PROXY": "http://p:1"])
        for local in ["http://localhost:5000/", "http://127.0.0.1:5000/", "http://127.8.9.10/", "http://[::1]:5000/", "https://localhost/",
                      "http://[::ffff:127.0.0.1]:5000/"] {
            XCTAssertNil(proxies.proxy(for: try url(local)), local)
        }
    }

    func testAProxyThatIsNotHTTPIsRefusedNamingTheVariable() {
        for setting in ["https://proxy.corp:443", "socks5://proxy.corp:1080", "http://", "http://proxy.corp:70000", "http://proxy.corp:0"] {
            XCTAssertThrowsError(try ProxyEnvironment(environment: ["https_proxy": setting]), setting) { error in
                XCTAssertEqual((error as? AWSClientError)?.kind, .invalidConfiguration)
                XCTAssertTrue(String(describing: error).contains("https_proxy=\(setting)"), String(describing: error))
            }
        }
    }

    func testARefusedProxysPasswordIsNotShown() {
        for setting in ["https://ci:S3cr3t@proxy.corp:443", "ci:S3cr3t@proxy.corp:99999", "ci:S3c://r3t@proxy.corp:99999",
                        "ci:S3cr3t@proxy.corp:99999/?u=http://x"] {
            XCTAssertThrowsError(try ProxyEnvironment(environment: ["HTTPS_PROXY": setting])) { error in
                let message = String(describing: error)
                XCTAssertFalse(message.contains("S3cr3t"), message)
                XCTAssertTrue(message.contains("ci:****@proxy.corp"), message)
            }
        }
    }
}
