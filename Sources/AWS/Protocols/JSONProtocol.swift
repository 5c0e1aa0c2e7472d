import Foundation

/// The JSON 1.0/1.1 protocol (KMS, Cognito, SSM, Logs): POST `/` with
/// `X-Amz-Target: <prefix>.<Operation>` and a JSON body; members keep botocore's names
/// (the caller's types give them with `CodingKeys`), timestamps are epoch seconds.
enum JSONProtocol {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    static func headers(operation: String, version: String, targetPrefix: String) -> HTTPHeaders {
        ["Content-Type": "application/x-amz-json-\(version)", "X-Amz-Target": "\(targetPrefix).\(operation)"]
    }

    /// Decodes an output; an empty body (some operations answer nothing) decodes as `{}`.
    static func decode<O: Decodable>(_ type: O.Type, from body: Data, operation: String) throws -> O {
        do {
            return try decoder().decode(type, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch {
            throw AWSClientError(.invalidResponse, "cannot read the answer of \(operation): \(error)")
        }
    }

    /// Decodes an error of the JSON and REST-JSON protocols: the code from the
    /// `x-amzn-ErrorType` header, else `__type` (or `code`) in the body; the message from
    /// `message` or `Message`.
    static func error(from response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let rawCode = response.headers["x-amzn-ErrorType"] ?? object["__type"] as? String ?? object["code"] as? String
        let message = object["message"] as? String ?? object["Message"] as? String ?? object["errorMessage"] as? String ?? ""
        return AWSError(service: service.signingName, operation: operation, statusCode: response.statusCode,
                        code: rawCode.map(sanitizedCode) ?? ErrorDecoding.codeFromStatus(response.statusCode),
                        message: message, requestID: ErrorDecoding.requestIDHeader(response))
    }

    /// `com.amazonaws.kms#NotFoundException` → `NotFoundException`;
    /// `ResourceNotFoundException:http://internal.amazon.com/…` → `ResourceNotFoundException`.
    static func sanitizedCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingCharacters(in: .whitespaces)
    }
}
