import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A regional REST API with a Cognito-authorized Lambda proxy method and a mock method, deployed
/// to a logged, throttled stage, against the emulator: create, read back through the AWS API,
/// empty plan, a method change that redeploys (the new deployment first, the stage moved, the old
/// deployment deleted), stage-only updates that do not, replacement of a path and of the
/// authorizer, drift repaired, import, destroy.
final class RestAPITests: XCTestCase {
    private static let account = "123456789012"
    private static let pool = "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_abcDEF123"

    private static func invokeARN(_ function: String) -> Text {
        Text("arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-2:\(account):function:\(function)/invocations")
    }

    private struct Settings: Sendable {
        var logGroup: String
        var binaryMediaTypes = ["image/png", "image/jpeg"]
        var pathPart = "upload"
        var apiKeyRequired = false
        var requestParameters: [String: Bool] = [:]
        var function = "upload"
        var variables: [String: Text] = ["bucket": "images"]
        var throttling: ImgStack.APIGateway.Stage.Throttling? = .init(burstLimit: 20, rateLimit: 10)
        var tracing = true
        var pool = RestAPITests.pool
        var health = true
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("apigw-test") { stack in
            let logs = stack.add(CloudWatch.LogGroup("access", name: Text(settings.logGroup), retentionInDays: 7))
            let api = stack.add(ImgStack.APIGateway.RestAPI("upload", name: "upload-api", description: "image uploads",
                                                   binaryMediaTypes: settings.binaryMediaTypes))
            let upload = stack.add(ImgStack.APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: Text(settings.pathPart)))
            let users = stack.add(ImgStack.APIGateway.Authorizer("users", api: api, name: "users", userPoolARNs: [Text(settings.pool)]))
            let post = stack.add(ImgStack.APIGateway.Method("upload_post", resource: upload, httpMethod: "POST",
                                                   authorization: .cognitoUserPools(authorizerID: users.id),
                                                   apiKeyRequired: settings.apiKeyRequired, requestParameters: settings.requestParameters))
            stack.add(ImgStack.APIGateway.Integration("upload_post", method: post, target: .lambdaProxy(invokeARN: Self.invokeARN(settings.function))))
            if settings.health {
                let health = stack.add(ImgStack.APIGateway.Method("health", restAPIID: api.id, resourceID: api.rootResourceID, httpMethod: "GET"))
                stack.add(ImgStack.APIGateway.Integration("health", method: health,
                                                          target: .mock(requestTemplates: ["application/json": #"{"statusCode": 200}"#])))
            }
            let deployment = stack.add(ImgStack.APIGateway.Deployment("live", api: api))
            stack.add(ImgStack.APIGateway.Stage("prod", deployment: deployment, stageName: "prod", variables: settings.variables,
                                       accessLog: .init(destinationARN: logs.arn, format: "$context.requestId $context.status"),
                                       throttling: settings.throttling, tracingEnabled: settings.tracing))
        }
    }

    private func id(_ harness: StackHarness, _ address: String) async throws -> String {
        let snapshot = try await harness.snapshot(address)
        return try XCTUnwrap(snapshot?.id, "no \(address) in state")
    }

    private func change(_ plan: Plan, _ address: String) -> ResourceChange? {
        plan.changes.first { $0.address.description == address && $0.deposedID == nil }
    }

    /// A harness in eu-west-2 with the declared API applied under a fresh log group name.
    private func appliedFromNothing() async throws -> (StackHarness, Settings) {
        let harness = try StackHarness(region: "eu-west-2")
        let settings = Settings(logGroup: "/aws/apigateway/upload-\(UUID().uuidString.prefix(8))")
        try await harness.apply(declare(settings))
        return (harness, settings)
    }

    func testRestAPILifecycleRedeploysWhenWhatItServesChanges() async throws {
        let (harness, applied) = try await appliedFromNothing()
        var settings = applied
        let gateway = harness.aws.apiGateway(region: harness.region)

        // Read back through the API, not imgstack's state.
        let apiID = try await id(harness, "apigateway.rest_api.upload")
        let api = try await gateway.restAPI(apiID)
        XCTAssertEqual(api.name, "upload-api")
        XCTAssertEqual(api.endpointConfiguration?.types, ["REGIONAL"])
        XCTAssertEqual(Set(api.binaryMediaTypes ?? []), ["image/png", "image/jpeg"])
        let uploadID = try await id(harness, "apigateway.resource.upload")
        let resource = try await gateway.resource(api: apiID, id: uploadID)
        XCTAssertEqual(resource.path, "/upload")
        XCTAssertEqual(resource.parentId, api.rootResourceId)
        let authorizerID = try await id(harness, "apigateway.authorizer.users")
        let authorizer = try await gateway.authorizer(api: apiID, id: authorizerID)
        XCTAssertEqual(authorizer.type, "COGNITO_USER_POOLS")
        XCTAssertEqual(authorizer.providerARNs, [Self.pool])
        XCTAssertEqual(authorizer.identitySource, "method.request.header.Authorization")
        var method = try await gateway.method(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(method.authorizationType, "COGNITO_USER_POOLS")
        XCTAssertEqual(method.authorizerId, authorizerID)
        XCTAssertEqual(method.apiKeyRequired, false)
        var integration = try await gateway.integration(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(integration.type, "AWS_PROXY")
        XCTAssertEqual(integration.httpMethod, "POST")
        XCTAssertEqual(integration.uri, Self.invokeARN("upload").literal)
        let mock = try await gateway.integration(api: apiID, resource: try XCTUnwrap(api.rootResourceId), httpMethod: "GET")
        XCTAssertEqual(mock.type, "MOCK")
        XCTAssertEqual(mock.requestTemplates, ["application/json": #"{"statusCode": 200}"#])
        let firstDeployment = try await id(harness, "apigateway.deployment.live")
        var stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.deploymentId, firstDeployment)
        XCTAssertEqual(stage.variables, ["bucket": "images"])
        XCTAssertEqual(stage.tracingEnabled, true)
        XCTAssertEqual(stage.accessLogSettings?.destinationArn, "arn:aws:logs:eu-west-2:123456789012:log-group:\(settings.logGroup)")
        XCTAssertEqual(stage.accessLogSettings?.format, "$context.requestId $context.status")
        XCTAssertEqual(stage.methodSettings?["*/*"]?.throttlingBurstLimit, 20)
        XCTAssertEqual(stage.methodSettings?["*/*"]?.throttlingRateLimit, 10)
        let stageSnapshot = try await harness.snapshot("apigateway.stage.prod")
        XCTAssertEqual(stageSnapshot?.attributes["invokeURL"], .string("https://\(apiID).execute-api.eu-west-2.amazonaws.com/prod"))
        let apiSnapshot = try await harness.snapshot("apigateway.rest_api.upload")
        XCTAssertEqual(apiSnapshot?.attributes["executionARN"], .string("arn:aws:execute-api:eu-west-2:\(Self.account):\(apiID)"))
        var plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // A method change redeploys: the method in place, a new deployment (named by what
        // changed), the stage moved onto it, then the old deployment deleted.
        settings.apiKeyRequired = true
        settings.requestParameters = ["method.request.header.Content-Type": true]
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "apigateway.method.upload_post"), .update)
        let redeploy = try XCTUnwrap(change(plan, "apigateway.deployment.live"))
        XCTAssertEqual(redeploy.action, .replace)
        XCTAssertEqual(redeploy.replaceOrder, .createBeforeDestroy)
        XCTAssertEqual(redeploy.reason, "redeploys: apigateway.method.upload_post changed")
        XCTAssertEqual(change(plan, "apigateway.stage.prod")?.changedProperties, ["deploymentID"])
        XCTAssertEqual(Set(plan.changes.filter { $0.action != .noop }.map(\.address.description)),
                       ["apigateway.method.upload_post", "apigateway.deployment.live", "apigateway.stage.prod"], "only what the change touches")
        XCTAssertTrue(HumanPlanRenderer().render(plan).contains("redeploys: apigateway.method.upload_post changed"))
        try await harness.apply(declare(settings))
        method = try await gateway.method(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(method.apiKeyRequired, true)
        XCTAssertEqual(method.requestParameters, ["method.request.header.Content-Type": true])
        let secondDeployment = try await id(harness, "apigateway.deployment.live")
        XCTAssertNotEqual(secondDeployment, firstDeployment)
        stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.deploymentId, secondDeployment, "the stage serves the new deployment")
        try await assertDeploymentGone(gateway, apiID, firstDeployment)
        var state = try await harness.state
        XCTAssertEqual(state.deposed, [])
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Stage settings change in place and do not redeploy.
        settings.variables = ["bucket": "images-v2", "mode": "strict"]
        settings.throttling = nil
        settings.tracing = false
        plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "apigateway.stage.prod"), .update)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.deployment.live"), .noop)
        stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.variables, ["bucket": "images-v2", "mode": "strict"])
        XCTAssertEqual(stage.tracingEnabled, false)
        XCTAssertNil(stage.methodSettings?["*/*"], "throttling removed")
        XCTAssertEqual(stage.deploymentId, secondDeployment)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // The API's binary media types and an integration's target change in place, and redeploy.
        settings.binaryMediaTypes = ["image/*"]
        settings.function = "upload-v2"
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "apigateway.rest_api.upload"), .update)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.integration.upload_post"), .update)
        XCTAssertEqual(change(plan, "apigateway.deployment.live")?.reason,
                       "redeploys: apigateway.integration.upload_post changed, apigateway.rest_api.upload changed")
        try await harness.apply(declare(settings))
        let updatedAPI = try await gateway.restAPI(apiID)
        XCTAssertEqual(updatedAPI.binaryMediaTypes, ["image/*"])
        integration = try await gateway.integration(api: apiID, resource: uploadID, httpMethod: "POST")
        XCTAssertEqual(integration.uri, Self.invokeARN("upload-v2").literal)
        let thirdDeployment = try await id(harness, "apigateway.deployment.live")
        stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.deploymentId, thirdDeployment)
        try await assertDeploymentGone(gateway, apiID, secondDeployment)
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // A new path part replaces the resource, and the method and integration on it.
        settings.pathPart = "images"
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "apigateway.resource.upload"), .replace)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.method.upload_post"), .replace)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.integration.upload_post"), .replace)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.deployment.live"), .replace)
        try await harness.apply(declare(settings))
        let imagesID = try await id(harness, "apigateway.resource.upload")
        let images = try await gateway.resource(api: apiID, id: imagesID)
        XCTAssertEqual(images.path, "/images")
        integration = try await gateway.integration(api: apiID, resource: imagesID, httpMethod: "POST")
        XCTAssertEqual(integration.uri, Self.invokeARN("upload-v2").literal)
        let paths = try await gateway.resources(api: apiID).compactMap(\.path).sorted()
        XCTAssertEqual(paths, ["/", "/images"], "the old path is gone")
        state = try await harness.state
        XCTAssertEqual(state.deposed, [])
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift made outside imgstack is shown and repaired; the deployment, which snapshots
        // the declared API, stays.
        try await gateway.updateMethod(api: apiID, resource: imagesID, httpMethod: "POST", [.replace("/apiKeyRequired", "false")])
        try await gateway.updateStage(api: apiID, name: "prod", [.replace("/variables/mode", "lenient")])
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(change(plan, "apigateway.method.upload_post")?.changedProperties, ["apiKeyRequired"])
        XCTAssertEqual(change(plan, "apigateway.stage.prod")?.changedProperties, ["variables"])
        XCTAssertEqual(StackHarness.action(plan, "apigateway.deployment.live"), .noop)
        try await harness.apply(declare(settings))
        method = try await gateway.method(api: apiID, resource: imagesID, httpMethod: "POST")
        XCTAssertEqual(method.apiKeyRequired, true)
        stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.variables?["mode"], "strict")

        // Another user pool replaces the authorizer: the new one first, the method moved onto
        // it (and redeployed), then the old one deleted.
        let oldAuthorizer = try await id(harness, "apigateway.authorizer.users")
        settings.pool = "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_xyzXYZ789"
        plan = try await harness.plan(declare(settings))
        XCTAssertEqual(change(plan, "apigateway.authorizer.users")?.replaceOrder, .createBeforeDestroy)
        XCTAssertEqual(change(plan, "apigateway.method.upload_post")?.changedProperties, ["authorizerID"])
        XCTAssertEqual(StackHarness.action(plan, "apigateway.deployment.live"), .replace)
        try await harness.apply(declare(settings))
        let newAuthorizer = try await id(harness, "apigateway.authorizer.users")
        method = try await gateway.method(api: apiID, resource: imagesID, httpMethod: "POST")
        XCTAssertEqual(method.authorizerId, newAuthorizer)
        let pools = try await gateway.authorizer(api: apiID, id: newAuthorizer).providerARNs
        XCTAssertEqual(pools, [settings.pool])
        await assertCode(.notFoundException) { _ = try await gateway.authorizer(api: apiID, id: oldAuthorizer) }
        plan = try await harness.plan(declare(settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Import reads every property back.
        // Each type runs as a resource of its own type: the harness checks its calls against that type's declaration.
        typealias Gateway = ImgStack.APIGateway
        func context<R: ImgStack.Resource>(_ type: R.Type) -> OperationContext {
            OperationContext(address: Address(type: type.typeName, name: "x"), region: harness.region, client: harness.aws)
        }
        let importedAPI = try await Gateway.RestAPI.makeType().checkedImport(id: apiID, context: context(Gateway.RestAPI.self))
        XCTAssertEqual(importedAPI?.properties["binaryMediaTypes"], ["image/*"])
        XCTAssertEqual(importedAPI?.properties["description"], "image uploads")
        let importedMethod = try await Gateway.Method.makeType().checkedImport(id: "\(apiID)/\(imagesID)/POST", context: context(Gateway.Method.self))
        XCTAssertEqual(importedMethod?.properties["authorization"], "COGNITO_USER_POOLS")
        XCTAssertEqual(importedMethod?.properties["apiKeyRequired"], true)
        let importedStage = try await Gateway.Stage.makeType().checkedImport(id: "\(apiID)/prod", context: context(Gateway.Stage.self))
        XCTAssertEqual(importedStage?.properties["variables"], ["bucket": "images-v2", "mode": "strict"])
        XCTAssertEqual(importedStage?.properties["accessLogFormat"], "$context.requestId $context.status")
        let importedAuthorizer = try await Gateway.Authorizer.makeType().checkedImport(id: "\(apiID)/\(newAuthorizer)", context: context(Gateway.Authorizer.self))
        XCTAssertEqual(importedAuthorizer?.properties["userPoolARNs"], [.string(settings.pool)])
        let importedIntegration = try await Gateway.Integration.makeType().checkedImport(id: "\(apiID)/\(imagesID)/POST", context: context(Gateway.Integration.self))
        XCTAssertEqual(importedIntegration?.properties["type"], "AWS_PROXY")
        let missing = try await Gateway.RestAPI.makeType().checkedImport(id: "nosuchapi0", context: context(Gateway.RestAPI.self))
        XCTAssertNil(missing)

        // A record made before the API's executionARN was recorded: a plan asks STS for it, a
        // destroy reads only whether the API exists.
        var old = try await harness.state
        var record = try XCTUnwrap(old.resource(try XCTUnwrap(Address(parsing: "apigateway.rest_api.upload"))))
        record.snapshot.attributes["executionARN"] = nil
        old.upsert(record)
        try await harness.backend.write(old)
        try await harness.assertDestroyReadsOnlyWhatDeletingNeeds(declare(settings))
        try await harness.destroy(declare(settings))
        do {
            _ = try await gateway.restAPI(apiID)
            XCTFail("the API survived destroy")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .notFoundException)
        }
        let logGroup = try await harness.aws.cloudWatchLogs(region: harness.region).logGroup(settings.logGroup)
        XCTAssertNil(logGroup, "destroy leaves the access log group behind neither")
        state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testRemovingAMethodRedeploysWithoutIt() async throws {
        let (harness, applied) = try await appliedFromNothing()
        var settings = applied
        let gateway = harness.aws.apiGateway(region: harness.region)
        let apiID = try await id(harness, "apigateway.rest_api.upload")
        let first = try await id(harness, "apigateway.deployment.live")
        let servedFirst = try await gateway.deployedMethods(api: apiID, id: first)
        XCTAssertEqual(servedFirst.mapValues { Set($0.keys) }, ["/": ["GET"], "/upload": ["POST"]])

        settings.health = false
        let plan = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(plan, "apigateway.method.health"), .delete)
        XCTAssertEqual(StackHarness.action(plan, "apigateway.deployment.live"), .replace)
        let second = try await id(harness, "apigateway.deployment.live")
        XCTAssertNotEqual(second, first)
        // The new deployment is made once the method is gone, so the stage stops serving it.
        let servedSecond = try await gateway.deployedMethods(api: apiID, id: second)
        XCTAssertEqual(servedSecond.mapValues { Set($0.keys) }, ["/upload": ["POST"]])
        let stage = try await gateway.stage(api: apiID, name: "prod")
        XCTAssertEqual(stage.deploymentId, second)
        let again = try await harness.plan(declare(settings))
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))
        try await harness.destroy(declare(settings))
    }

    /// The emulator answers like API Gateway where moto did not (test support fills it).
    func testEmulatorRefusesWhatAPIGatewayRefuses() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let gateway = harness.aws.apiGateway(region: harness.region)
        let api = try await gateway.createRestAPI(name: "refusals", description: nil, endpointType: "REGIONAL", binaryMediaTypes: [], tags: [:])
        let root = try XCTUnwrap(api.rootResourceId)
        _ = try await gateway.createResource(api: api.id, parentID: root, pathPart: "a")
        await assertCode(.conflictException) { _ = try await gateway.createResource(api: api.id, parentID: root, pathPart: "a") }
        let none = AWS.APIGateway.MethodSettings(authorizationType: "NONE", authorizerId: nil, apiKeyRequired: false, requestParameters: [:])
        try await gateway.putMethod(api: api.id, resource: root, httpMethod: "GET", none)
        await assertCode(.conflictException) { try await gateway.putMethod(api: api.id, resource: root, httpMethod: "GET", none) }
        await assertCode(.notFoundException) { _ = try await gateway.integration(api: api.id, resource: root, httpMethod: "GET") }
        try await gateway.putIntegration(api: api.id, resource: root, httpMethod: "GET",
                                         .init(type: "MOCK", integrationHttpMethod: nil, uri: nil, requestTemplates: [:], passthroughBehavior: nil))
        let deployment = try await gateway.createDeployment(api: api.id, description: nil)
        _ = try await gateway.createStage(api: api.id, name: "prod", deploymentID: deployment.id, description: nil, variables: [:], tracingEnabled: false)
        await assertCode(.badRequestException) { try await gateway.deleteDeployment(api: api.id, id: deployment.id) }
        try await gateway.deleteRestAPI(api.id)
    }

    private func assertCode(_ code: AWSErrorCode, file: StaticString = #filePath, line: UInt = #line, _ call: () async throws -> Void) async {
        do {
            try await call()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let error as AWSError {
            XCTAssertEqual(error.code, code, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    private func assertDeploymentGone(_ gateway: AWS.APIGateway, _ api: String, _ id: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        await assertCode(.notFoundException, file: file, line: line) { _ = try await gateway.deployment(api: api, id: id) }
    }
}
