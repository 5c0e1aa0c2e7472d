import AWS
import Engine
import ImgStack
import XCTest

private typealias Key = ImgStack.KMS.Key
private typealias Alias = ImgStack.KMS.Alias

/// KMS keys and aliases with bad input: each rule reports the resource's address and the property.
final class KMSValidationTests: XCTestCase {
    func testAliasWithoutPrefixNamesAddressAndProperty() {
        assertOneIssue(Alias("data", name: "images", targetKeyID: "k"), property: "name", containing: "must start with \"alias/\"")
    }

    func testAliasUnderTheAWSPrefixIsReserved() {
        assertOneIssue(Alias("data", name: "alias/aws/s3", targetKeyID: "k"), property: "name", containing: "reserved")
    }

    func testAliasWithOtherCharactersOrTooLongIsRefused() {
        assertOneIssue(Alias("data", name: "alias/images.v2", targetKeyID: "k"), property: "name", containing: "only letters, digits")
        assertOneIssue(Alias("data", name: Text("alias/" + String(repeating: "a", count: 251)), targetKeyID: "k"), property: "name",
                       containing: "256 characters")
        assertOneIssue(Alias("data", name: "alias/", targetKeyID: "k"), property: "name", containing: "256 characters")
    }

    func testValidAliasesPassAndReferencesWaitForApply() {
        for name in ["alias/images", "alias/team/images_v2-prod", Text("alias/" + String(repeating: "a", count: 250))] {
            XCTAssertEqual(validationIssues(Alias("data", name: name, targetKeyID: "k")), [], "\(name)")
        }
        let key = Key("data")
        XCTAssertEqual(validationIssues(Alias("data", name: "\(key.keyID)", targetKeyID: key.keyID)), [])
    }

    func testDeletionWindowMustBeSevenToThirtyDays() {
        assertOneIssue(Key("data", deletionWindowInDays: 6), property: "deletionWindowInDays", containing: "7 to 30")
        assertOneIssue(Key("data", deletionWindowInDays: 31), property: "deletionWindowInDays", containing: "7 to 30")
        XCTAssertEqual(validationIssues(Key("data", deletionWindowInDays: 7)), [])
        XCTAssertEqual(validationIssues(Key("data", deletionWindowInDays: 30)), [])
    }

    func testUnknownKeyUsageAndSpecAreRefused() {
        assertOneIssue(Key("data", keyUsage: "ENCRYPT"), property: "keyUsage", containing: "\"ENCRYPT\" is not a key usage")
        assertOneIssue(Key("data", keySpec: "AES_256"), property: "keySpec", containing: "\"AES_256\" is not a key spec")
        XCTAssertEqual(validationIssues(Key("data", keyUsage: "SIGN_VERIFY", keySpec: "ECC_NIST_P256")), [])
        XCTAssertEqual(validationIssues(Key("data", keyUsage: "GENERATE_VERIFY_MAC", keySpec: "HMAC_256")), [])
    }

    func testUsageTheKeySpecCannotServeIsRefused() {
        assertOneIssue(Key("data", keyUsage: "GENERATE_VERIFY_MAC", keySpec: "RSA_2048"), property: "keyUsage", containing: "ENCRYPT_DECRYPT or SIGN_VERIFY")
        assertOneIssue(Key("data", keyUsage: "SIGN_VERIFY"), property: "keyUsage", containing: "a SYMMETRIC_DEFAULT key cannot be used for SIGN_VERIFY")
        assertOneIssue(Key("data", keyUsage: "ENCRYPT_DECRYPT", keySpec: "HMAC_256"), property: "keyUsage", containing: "GENERATE_VERIFY_MAC")
        XCTAssertEqual(validationIssues(Key("data", keyUsage: "KEY_AGREEMENT", keySpec: "ECC_NIST_P384")), [])
        XCTAssertEqual(validationIssues(Key("data", keyUsage: "ENCRYPT_DECRYPT", keySpec: "RSA_4096")), [])
    }

    func testRotationOfAnAsymmetricKeyIsRefused() {
        assertOneIssue(Key("data", enableKeyRotation: true, keyUsage: "SIGN_VERIFY", keySpec: "ECC_NIST_P256"), property: "enableKeyRotation",
                       containing: "only for SYMMETRIC_DEFAULT")
        XCTAssertEqual(validationIssues(Key("data", enableKeyRotation: true)), [])
    }

    func testDescriptionLongerThanKMSAllowsIsRefused() {
        assertOneIssue(Key("data", description: Text(String(repeating: "d", count: 8193))), property: "description", containing: "8192")
    }

    func testKeyPolicyWithUnknownEffectNamesThePolicy() {
        let policy = PolicyDocument(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"kms:*","Resource":"*","Principal":{"AWS":"*"}}]}"#)
        assertOneIssue(Key("data", policy: policy), property: "policy", containing: "unknown Effect \"Permit\"")
    }

    func testStandaloneKeyPolicyIsCheckedLikeAKeysPolicy() {
        let policy = PolicyDocument(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"kms:*","Resource":"*","Principal":{"AWS":"*"}}]}"#)
        assertOneIssue(KMS.KeyPolicy("data", keyID: "k", policy: policy), property: "policy", containing: "unknown Effect \"Permit\"")
        XCTAssertEqual(validationIssues(KMS.KeyPolicy("data", keyID: "k", policy: PolicyDocument([
            Statement(effect: .allow, actions: ["kms:*"], resources: ["*"], principal: .aws("arn:aws:iam::123456789012:root")),
        ]))), [])
    }

    func testReservedTagPrefixesAreRefused() {
        let found = validationIssues(Key("data", tags: ["aws:owner": "me", "imgstack:intent": "x"]))
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.subject == "kms.key.data" && $0.property == "tags" })
    }

    // MARK: - Import ids, checked before any call

    func testImportedAliasMustBeAnAliasName() {
        let type = Alias.makeType()
        XCTAssertEqual(type.validateImportID("images"), "\"images\" must start with \"alias/\" (for example \"alias/images\")")
        XCTAssertNotNil(type.validateImportID("alias/aws/s3"))
        XCTAssertNil(type.validateImportID("alias/images-data"))
    }

    func testImportedKeyMustBeAKeyIDOrAKeyARN() {
        let type = Key.makeType()
        for valid in ["1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
                      "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                      "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"] {
            XCTAssertNil(type.validateImportID(valid), valid)
        }
        for invalid in ["alias/images", "my-key", "1234abcd-12ab-34cd-56ef", "arn:aws:kms:eu-west-1:111122223333:alias/images",
                        "arn:aws:s3:::bucket", "arn:aws:kms:eu-west-1:111122223333:key/not-a-uuid"] {
            XCTAssertNotNil(type.validateImportID(invalid), invalid)
        }
        XCTAssertTrue(type.validateImportID("my-key")?.contains("neither a KMS key id") ?? false)
    }
}
