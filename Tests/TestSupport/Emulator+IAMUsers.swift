import AWS
import Foundation

extension Emulator {
    /// Creates the IAM user `name` holding exactly `policies` (each document a customer managed
    /// policy attached to the user) and an access key, as the account's root user through the
    /// verifying proxy (`emulator/iam_user.py`), so the proxy can verify the new key's signatures.
    /// Meant for ``enforcingIAM()``, where the user's calls are authorized by these policies alone.
    /// - Parameters:
    ///   - name: the user name (IAM `CreateUser`), unique in the emulator's account until `reset()`.
    ///   - policies: policy documents as JSON text, each at most 6,144 characters.
    /// - Returns: the user's access key.
    /// - Throws: `EmulatorError` when python3 or the script is missing or IAM refuses a call.
    public func createUser(named name: String, policies: [String]) async throws -> AWSCredentials {
        guard let python = ProcessRunner.which("python3"),
              let scripts = Bundle.module.url(forResource: "emulator", withExtension: nil) else {
            throw EmulatorError("python3 or the emulator scripts are missing")
        }
        let folder = try TemporaryDirectory(prefix: "imgstack-iam-user")
        var files: [String] = []
        for (index, policy) in policies.enumerated() {
            let file = folder.appending("policy-\(index + 1).json")
            try Data(policy.utf8).write(to: file)
            files.append(file.path)
        }
        let result = try await ProcessRunner(executable: python,
                                             arguments: [scripts.appendingPathComponent("iam_user.py").path, "--endpoint", endpoint.absoluteString,
                                                         "--name", name] + files).run(timeout: 60)
        guard result.status == 0,
              let key = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: String],
              let id = key["AccessKeyId"], let secret = key["SecretAccessKey"] else {
            throw EmulatorError("creating IAM user \(name) failed: \(result.standardError)")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
    }
}
