import AWS
import Foundation

/// SigV4 signatures per second: a typical JSON-protocol request (KMS) and an S3 PUT with a
/// 64 KiB body, whose payload hash dominates.
enum SignerBenchmark {
    static func run() async throws {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        guard let kmsURL = URL(string: "https://kms.eu-west-1.amazonaws.com/"),
              let s3URL = URL(string: "https://s3.eu-west-1.amazonaws.com/bucket/some/key.png") else { return }
        let json = HTTPRequest(method: "POST", url: kmsURL,
                               headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.ListKeys"],
                               body: Data("{}".utf8))
        let upload = HTTPRequest(method: "PUT", url: s3URL, headers: ["Content-Type": "image/png"], body: Data(repeating: 7, count: 64 * 1024))
        let kms = SigV4Signer(credentials: credentials, signingName: "kms", region: "eu-west-1")
        let s3 = SigV4Signer(credentials: credentials, signingName: "s3", region: "eu-west-1")

        for (name, request, signer, isS3) in [("signer: KMS JSON request", json, kms, false), ("signer: S3 PUT 64 KiB", upload, s3, true)] {
            let count = isS3 ? 2_000 : 20_000
            var rates: [Double] = []
            for _ in 0..<5 {
                var sink = 0
                let seconds = await Measure.seconds {
                    for _ in 0..<count {
                        let signed = signer.sign(request, date: date, contentSHA256Header: isS3, doubleEncodePath: !isS3)
                        sink &+= signed.headers["Authorization"]?.count ?? 0
                    }
                }
                precondition(sink > 0)
                rates.append(Double(count) / seconds)
            }
            Measure.report(name, Measure.median(rates), "signatures/s", "median of 5 runs of \(count)")
        }
    }
}
