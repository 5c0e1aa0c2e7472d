import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

extension TransportError {
    /// The transport error that async-http-client's (or SwiftNIO's) `error` means, for a request
    /// to `url`, sent through `proxy` when not nil (named in the detail, as its failures are not
    /// the endpoint's).
    ///
    /// The kind decides the retry (``RetryPolicy``): a connection that could not be opened is
    /// `.cannotConnect`; one that closed before the whole answer arrived, cleanly or not, in
    /// plain HTTP or TLS, is `.connectionReset`; anything else (a malformed answer, a proxy that
    /// refuses) is `.other`.
    init(_ error: any Error, url: URL, proxy: ProxyEnvironment.Proxy?) {
        let (kind, detail) = Self.meaning(of: error)
        self.init(kind: kind, url: url, detail: detail + (proxy?.throughDescription ?? ""))
    }

    private static func meaning(of error: any Error) -> (Kind, String) {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout:
                return (.cannotConnect, "no connection within 10 s")
            case .remoteConnectionClosed:
                return (.connectionReset, "the server closed the connection before answering")
            case .proxyAuthenticationRequired:
                return (.other, "the proxy asks for credentials (407): give them in the proxy variable as http://user:password@host:port")
            case .invalidProxyResponse:
                return (.other, "the proxy refused to open a tunnel (CONNECT) to the endpoint")
            default:
                return (.other, String(describing: error))
            }
        case is NIOConnectionError:
            return (.cannotConnect, String(describing: error))
        case ChannelError.connectTimeout:
            return (.cannotConnect, "no connection within 10 s")
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.outputClosed,
             HTTPParserError.invalidEOFState, NIOSSLError.uncleanShutdown:
            return (.connectionReset, "the connection closed before the whole answer arrived")
        case let error as IOError where [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode):
            return (.cannotConnect, String(describing: error))
        case let error as IOError where [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode):
            return (.connectionReset, String(describing: error))
        default:
            return (.other, String(describing: error))
        }
    }
}
