import Foundation

/// The REST-JSON protocol (Lambda): method and URI template per operation, query-string and
/// header members, a JSON body; errors as in the JSON protocol (`x-amzn-ErrorType`, then
/// `__type`, then the body's `message`).
enum RESTJSONProtocol {
    /// The body of a call: nil input sends no body and no content type, as botocore does for
    /// operations without a payload (e.g. `ListFunctions`).
    static func body(_ input: (any Encodable)?) throws -> (Data, HTTPHeaders) {
        guard let input else { return (Data(), HTTPHeaders()) }
        do {
            return (try JSONProtocol.encoder().encode(input), ["Content-Type": "application/json"])
        } catch {
            throw AWSClientError(.invalidConfiguration, "cannot encode request: \(error)")
        }
    }

    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        JSONProtocol.error(from: response, service: service, operation: operation)
    }
}
