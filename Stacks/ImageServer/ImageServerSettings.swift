import Foundation
import ImgStack

/// The image server's variables, read once, with the checks that span several of them.
struct ImageServerSettings {
    /// Added to every name.
    let service: String
    /// The images bucket's name.
    let bucketName: String
    /// The Cognito identity pool's name.
    let identityPoolName: String
    /// The CloudFront origin id of the bucket.
    let s3OriginID: String
    /// CloudFront's price class.
    let priceClass: String
    /// Delete the uploaded images with the bucket on destroy.
    let deleteImagesOnDestroy: Bool
    /// Where alarms are mailed; empty for no subscription.
    let alarmEmail: String
    /// Federated sign-in: the hosted UI domain prefix and where it sends users back.
    let authDomain: String
    let callbackURL: String
    /// Google and Facebook app credentials; empty to leave the provider out.
    let google: FederatedApp?
    let facebook: FederatedApp?

    /// An OAuth app at Google or Facebook.
    struct FederatedApp {
        let clientID: String
        let clientSecret: String
    }

    /// The region of the edge function, its metrics, CloudFront's metrics and the alarms.
    static let edgeRegion = "us-east-1"

    init(_ stack: StackBuilder) {
        service = stack.variable("service", default: "image-server", description: "Service name added to all resources")
        bucketName = stack.variable("bucket_name", default: "\(service)-images",
                                    description: "AWS S3 bucket name (globally unique: set your own)")
        // Identity pool names take letters, digits, spaces and '_' only.
        identityPoolName = stack.variable("identity_pool_name", default: "\(service.replacingOccurrences(of: "-", with: "_"))_identities",
                                          description: "AWS Cognito Identity Pool name")
        s3OriginID = stack.variable("s3_origin_id", default: "\(service)-s3-origin", description: "S3 Origin ID for CloudFront")
        priceClass = stack.variable("price_class", default: "PriceClass_100",
                                    description: "CloudFront price class: PriceClass_100, PriceClass_200 or PriceClass_All")
        deleteImagesOnDestroy = stack.variable("delete_images_on_destroy", default: false,
                                               description: "Let destroy delete the bucket with the users' images in it")
        alarmEmail = stack.variable("alarm_email", default: "", description: "Address the alarms are mailed to (confirm the mail SNS sends)")
        authDomain = stack.variable("auth_domain", default: "",
                                    description: "Cognito hosted UI domain prefix; needed for Google/Facebook sign-in")
        callbackURL = stack.variable("callback_url", default: "",
                                     description: "The site URL the hosted UI returns to (the site_url output); needed for Google/Facebook sign-in")
        google = Self.app(stack, "google", "Google OAuth client")
        facebook = Self.app(stack, "facebook", "Facebook app")

        if google != nil || facebook != nil {
            if authDomain.isEmpty {
                stack.invalid("var.auth_domain", "Google/Facebook sign-in goes through the Cognito hosted UI: set --var auth_domain=<prefix>")
            }
            if !callbackURL.hasPrefix("https://") {
                stack.invalid("var.callback_url",
                              "Google/Facebook sign-in returns to the site: set --var callback_url=https://<cloudfront_domain>/ (deploy once without federation to learn it)")
            }
        }
    }

    /// The `<name>_client_id` / `<name>_client_secret` pair, nil when both are empty.
    private static func app(_ stack: StackBuilder, _ name: String, _ what: String) -> FederatedApp? {
        let id = stack.variable("\(name)_client_id", default: "", description: "\(what) id; empty to leave \(name) sign-in out")
        let secret = stack.variable("\(name)_client_secret", default: "", description: "\(what) secret (better: IMGSTACK_VAR_\(name)_client_secret)")
        if id.isEmpty && secret.isEmpty { return nil }
        if id.isEmpty || secret.isEmpty {
            stack.invalid("var.\(name)_client_id", "\(name) sign-in needs both \(name)_client_id and \(name)_client_secret")
        }
        return FederatedApp(clientID: id, clientSecret: secret)
    }

    /// The federated providers' names as Cognito knows them.
    var providerNames: [String] {
        (google == nil ? [] : ["Google"]) + (facebook == nil ? [] : ["Facebook"])
    }

    /// Tags put on what can carry them.
    var tags: [String: Text] { ["service": Text(service), "stack": "image-server"] }
}
