import Engine
import XCTest

final class PlannerTests: XCTestCase {
    private let harness = Harness()

    private func plan(_ resources: [ResourceDeclaration], prior: StateFile = state([]), outputs: [OutputDeclaration] = [],
                      _ options: PlanOptions = PlanOptions(), drift: [Drift] = []) throws -> Plan {
        try Planner(stack: harness.stack(resources, outputs: outputs), options: options).plan(prior: prior, drift: drift)
    }

    // MARK: - Create, no-op, update

    func testUndeclaredStateCreatesWithDefaultsAndUnknownComputedValues() throws {
        let plan = try plan([harness.thing("a", ["name": "alpha"])])
        let change = try XCTUnwrap(plan.change(.thing("a")))
        XCTAssertEqual(change.action, .create)
        XCTAssertNil(change.before)
        XCTAssertEqual(change.after?["name"], "alpha")
        XCTAssertEqual(change.after?["size"], 1, "an unset property with a default is created with it")
        XCTAssertEqual(change.after?["label"], .unknown, "an unset property without a default is AWS's to decide")
        XCTAssertEqual(change.after?["arn"], .unknown)
        XCTAssertEqual(change.after?["id"], .unknown)
        XCTAssertEqual(change.changedProperties, ["name", "size"])
        XCTAssertEqual(change.terraformType, "memory_memory_thing")
        XCTAssertEqual(change.region, "eu-west-1")
        XCTAssertEqual(change.sensitiveNames, ["secret", "token"])
    }

    func testEqualPropertiesPlanNoop() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "label": "x"])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "label": "x"])], prior: prior)
        XCTAssertEqual(plan.action("a"), ChangeAction.noop)
        XCTAssertEqual(plan.change(.thing("a"))?.changedProperties, [])
        XCTAssertFalse(plan.hasChanges)
        XCTAssertEqual(plan.actionable, [])
    }

    func testDefaultValueDiffersFromRecordedValuePlansUpdate() throws {
        let prior = state([record("a", ["name": "alpha", "size": 3])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior)
        XCTAssertEqual(plan.action("a"), .update)
        XCTAssertEqual(plan.change(.thing("a"))?.changedProperties, ["size"])
        XCTAssertEqual(plan.change(.thing("a"))?.after?["size"], 1)
    }

    func testUnsetPropertyWithoutDefaultIsNotCompared() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "label": "set by AWS"])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior)
        XCTAssertEqual(plan.action("a"), ChangeAction.noop)
        XCTAssertEqual(plan.change(.thing("a"))?.after?["label"], "set by AWS")
    }

    func testNormalizedValuesThatMatchPlanNoop() throws {
        let harness = Harness { MemoryResourceType(cloud: $0, normalize: { _, value in
            value.stringValue.map { .string($0.lowercased()) } ?? value
        }) }
        let prior = state([record("a", ["name": "alpha", "size": 1, "label": "mixed"])])
        let plan = try Planner(stack: harness.stack([harness.thing("a", ["name": "ALPHA", "label": "MiXeD"])])).plan(prior: prior)
        XCTAssertEqual(plan.action("a"), ChangeAction.noop)
    }

    func testChangedPropertyUpdatesInPlaceListingOnlyIt() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "label": "old"])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "label": "new"])], prior: prior)
        let change = try XCTUnwrap(plan.change(.thing("a")))
        XCTAssertEqual(change.action, .update)
        XCTAssertEqual(change.changedProperties, ["label"])
        XCTAssertEqual(change.replacePaths, [])
        XCTAssertEqual(change.before?["label"], "old")
        XCTAssertEqual(change.after?["label"], "new")
        XCTAssertEqual(change.after?["id"], "a", "an update keeps the id")
        XCTAssertEqual(change.after?["arn"], "arn:memory:memory.thing:a", "a stable attribute stays known")
        XCTAssertEqual(change.after?["version"], .unknown, "an attribute that changes on update becomes unknown")
    }

    // MARK: - Replace

    func testForceNewPropertyChangeReplacesNamingIt() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "a"])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "zone": "b", "label": "x"])], prior: prior)
        let change = try XCTUnwrap(plan.change(.thing("a")))
        XCTAssertEqual(change.action, .replace)
        XCTAssertEqual(change.replacePaths, ["zone"])
        XCTAssertEqual(change.changedProperties, ["label", "zone"])
        XCTAssertEqual(change.after?["id"], .unknown)
        XCTAssertEqual(change.after?["arn"], .unknown)
    }

    func testReplaceKeepingTheUniqueNameDeletesBeforeCreating() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "a"])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "zone": "b"])], prior: prior)
        XCTAssertEqual(plan.change(.thing("a"))?.replaceOrder, .deleteBeforeCreate)
    }

    func testReplaceWithANewUniqueNameCreatesBeforeDestroying() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1])])
        let plan = try plan([harness.thing("a", ["name": "beta"])], prior: prior)
        let change = try XCTUnwrap(plan.change(.thing("a")))
        XCTAssertEqual(change.action, .replace)
        XCTAssertEqual(change.replacePaths, ["name"])
        XCTAssertEqual(change.replaceOrder, .createBeforeDestroy)
    }

    func testReplaceOfATypeWithoutUniqueNameCreatesBeforeDestroying() throws {
        let harness = Harness { MemoryResourceType(cloud: $0, uniqueNameProperty: nil) }
        let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "a"])])
        let plan = try Planner(stack: harness.stack([harness.thing("a", ["name": "alpha", "zone": "b"])])).plan(prior: prior)
        XCTAssertEqual(plan.change(.thing("a"))?.replaceOrder, .createBeforeDestroy)
    }

    func testATypeNamesWhyItIsReplacedFromTheOldAndNewProperties() throws {
        let harness = Harness { MemoryResourceType(cloud: $0, normalize: { name, value in
            name == "zone" ? .string(value.stringValue?.lowercased() ?? "") : value
        }, replacementReason: { before, after in
            "zone moves from \(before["zone"]?.stringValue ?? "?") to \(after["zone"]?.stringValue ?? "?")"
        }) }
        let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "A"]), record("b", ["name": "beta", "size": 1, "zone": "a"])])
        let plan = try Planner(stack: harness.stack([harness.thing("a", ["name": "alpha", "zone": "B"]),
                                                    harness.thing("b", ["name": "beta", "zone": "a", "label": "x"])])).plan(prior: prior)
        XCTAssertEqual(plan.change(.thing("a"))?.reason, "zone moves from a to b", "both sides normalized")
        XCTAssertEqual(plan.action("b"), .update)
        XCTAssertNil(plan.change(.thing("b"))?.reason, "only a replacement asks the type")
    }

    func testReplaceFlagReplacesAnUnchangedResourceWithAReason() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1]), record("b", ["name": "beta", "size": 1])])
        let plan = try plan([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta"])], prior: prior,
                            PlanOptions(forceReplace: [.thing("a")]))
        XCTAssertEqual(plan.action("a"), .replace)
        XCTAssertEqual(plan.change(.thing("a"))?.reason, "requested with --replace")
        XCTAssertEqual(plan.change(.thing("a"))?.replaceOrder, .deleteBeforeCreate, "same unique name")
        XCTAssertEqual(plan.action("b"), .noop)
    }

    func testRegionChangeReplacesWithAReason() throws {
        let prior = state([record("a", region: "us-east-1", ["name": "alpha", "size": 1])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior)
        XCTAssertEqual(plan.action("a"), .replace)
        XCTAssertEqual(plan.change(.thing("a"))?.reason, "region changes from us-east-1 to eu-west-1")
    }

    func testActionReasonsUseTerraformsVocabulary() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1]), record("b", ["name": "beta", "size": 1]),
                           record("gone", ["name": "old"])])
        let plan = try plan([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "bravo"])], prior: prior,
                            PlanOptions(forceReplace: [.thing("a")]))
        XCTAssertEqual(plan.change(.thing("a"))?.actionReason, .replaceByRequest)
        XCTAssertEqual(plan.change(.thing("b"))?.actionReason, .replaceBecauseCannotUpdate, "name forces replacement")
        XCTAssertEqual(plan.change(.thing("gone"))?.actionReason, .deleteBecauseNoResourceConfig)
        let json = try Value(jsonText: JSONPlanRenderer().render(plan))
        let reasons = Dictionary(uniqueKeysWithValues: (json["resource_changes"].listValue ?? []).map {
            ($0["address"].stringValue ?? "", $0["action_reason"])
        })
        XCTAssertEqual(reasons["memory_memory_thing.a"], "replace_by_request")
        XCTAssertEqual(reasons["memory_memory_thing.b"], "replace_because_cannot_update")
        XCTAssertEqual(reasons["memory_memory_thing.gone"], "delete_because_no_resource_config")

        let destroy = try self.plan([harness.thing("a", ["name": "alpha"])], prior: prior, PlanOptions(destroy: true))
        XCTAssertTrue(destroy.changes.allSatisfy { $0.actionReason == nil }, "a destroy plan's deletions carry no reason, as in Terraform")
    }

    /// A resource whose state leaves out what the stack writes as `null` has not changed: the
    /// Terraform-format plan says `no-op`, as the plan itself does.
    func testAnUnchangedResourceIsNoOpInTheTerraformJSON() throws {
        let prior = state([record("a", ["name": "alpha"])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "label": .value(.null)])], prior: prior)
        XCTAssertEqual(plan.action("a"), ChangeAction.noop)
        let json = try Value(jsonText: JSONPlanRenderer().render(plan))
        let change = (json["resource_changes"].listValue ?? []).first { $0["address"] == "memory_memory_thing.a" }
        XCTAssertEqual(change?["change"]["actions"], ["no-op"])
        XCTAssertEqual(json["applyable"], false)
    }

    // MARK: - Deletions

    func testRecordedResourceNoLongerDeclaredIsDeleted() throws {
        let prior = state([record("a", ["name": "alpha"]), record("gone", ["name": "old"], dependencies: [.thing("a")])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior)
        let change = try XCTUnwrap(plan.change(.thing("gone")))
        XCTAssertEqual(change.action, .delete)
        XCTAssertEqual(change.id, "gone")
        XCTAssertNil(change.after)
        XCTAssertEqual(change.before?["name"], "old")
        XCTAssertEqual(change.dependencies, [.thing("a")], "a deletion keeps the recorded dependencies")
    }

    func testDeposedRecordIsDeletedWithAReason() throws {
        let prior = state([record("a", id: "new", ["name": "alpha", "size": 1])], deposed: [record("a", id: "old", ["name": "alpha"])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior)
        XCTAssertEqual(plan.action("a"), ChangeAction.noop)
        let deposed = try XCTUnwrap(plan.changes.first { $0.deposedID == "old" })
        XCTAssertEqual(deposed.action, .delete)
        XCTAssertEqual(deposed.id, "old")
        XCTAssertEqual(deposed.reason, "old object of a replacement, left by an earlier run")
        XCTAssertEqual(plan.counts.destroy, 1)
    }

    /// A record pending deletion (a Lambda@Edge function waiting for its replicas) that the
    /// stack declares again is taken back — never created anew beside it — or, when the stack
    /// replaces it under the same name, refused before any change.
    func testDeletionPendingRecordStillDeclaredIsTakenBackOrRefused() throws {
        struct Member {
            var name: String
            var declared: [String: Expression]
            var action: ChangeAction?
            var changed: [String] = []
        }
        let members = [
            Member(name: "the same settings (the issue's example)", declared: ["name": "alpha"], action: .update),
            Member(name: "a setting changed in place", declared: ["name": "alpha", "label": "new"], action: .update, changed: ["label"]),
            Member(name: "a replacement under another name", declared: ["name": "beta"], action: .replace, changed: ["name"]),
            Member(name: "a replacement under the same name", declared: ["name": "alpha", "zone": "b"], action: nil),
        ]
        for member in members {
            let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "a"], deletionPending: true)])
            guard let expected = member.action else {
                XCTAssertThrowsError(try plan([harness.thing("a", member.declared)], prior: prior), member.name) { error in
                    let message = "\(error)"
                    XCTAssertTrue(message.contains("the object recorded here (id=a) is still being deleted"), message)
                    XCTAssertTrue(message.contains("(zone)"), message)
                }
                continue
            }
            let plan = try plan([harness.thing("a", member.declared)], prior: prior)
            let change = try XCTUnwrap(plan.change(.thing("a")), member.name)
            XCTAssertEqual(change.action, expected, member.name)
            XCTAssertEqual(change.id, "a", member.name)
            XCTAssertEqual(change.changedProperties.filter { $0 != "zone" }, member.changed, member.name)
            XCTAssertTrue(change.reason?.contains("deletion pending since an earlier run") == true, "\(member.name): \(change.reason ?? "")")
            XCTAssertFalse(plan.changes.contains { $0.action == .create }, member.name)
        }
    }

    // MARK: - Unknown values through references

    func testNewResourcesArnMakesDependentPropertyUnknown() throws {
        let plan = try plan([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])])
        XCTAssertEqual(plan.change(.thing("b"))?.after?["target"], .unknown)
        XCTAssertEqual(plan.change(.thing("b"))?.changedProperties, ["name", "size", "target"])
        XCTAssertEqual(plan.change(.thing("b"))?.dependencies, [.thing("a")])
    }

    func testKnownPropertyOfANewResourceStaysKnownInDependents() throws {
        let plan = try plan([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta", "target": .ref("a", "name")])])
        XCTAssertEqual(plan.change(.thing("b"))?.after?["target"], "alpha")
    }

    func testInterpolationWithAnUnknownPartIsUnknown() throws {
        let plan = try plan([
            harness.thing("a", ["name": "alpha"]),
            harness.thing("b", ["name": "beta", "target": .concat(["arn=", .ref("a", "arn")]),
                                "label": .concat(["name=", .ref("a", "name"), "/", .value(3)])]),
        ])
        let after = try XCTUnwrap(plan.change(.thing("b"))?.after)
        XCTAssertEqual(after["target"], .unknown)
        XCTAssertEqual(after["label"], "name=alpha/3")
    }

    func testUpdatingResourceKeepsReferencesToItsStableAttributesKnown() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1]),
                           record("b", ["name": "beta", "size": 1, "target": "arn:memory:memory.thing:a"], dependencies: [.thing("a")])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "size": 2]),
                             harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])], prior: prior)
        XCTAssertEqual(plan.action("a"), .update)
        XCTAssertEqual(plan.action("b"), .noop)
    }

    func testReplacedResourceMakesDependentUpdate() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1]),
                           record("b", ["name": "beta", "size": 1, "target": "arn:memory:memory.thing:alpha"], dependencies: [.thing("a")])])
        let plan = try plan([harness.thing("a", ["name": "alpha2"]),
                             harness.thing("b", ["name": "beta", "target": .ref("a", "arn")])], prior: prior)
        XCTAssertEqual(plan.action("a"), .replace)
        XCTAssertEqual(plan.action("b"), .update)
        XCTAssertEqual(plan.change(.thing("b"))?.changedProperties, ["target"])
        XCTAssertEqual(plan.change(.thing("b"))?.after?["target"], .unknown)
    }

    func testReplacedResourceMakesDependentReplaceThroughAForceNewProperty() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1]),
                           record("b", ["name": "beta", "size": 1, "zone": "arn:memory:memory.thing:alpha"], dependencies: [.thing("a")])])
        let plan = try plan([harness.thing("a", ["name": "alpha2"]),
                             harness.thing("b", ["name": "beta", "zone": .ref("a", "arn")])], prior: prior)
        XCTAssertEqual(plan.action("b"), .replace)
        XCTAssertEqual(plan.change(.thing("b"))?.replacePaths, ["zone"])
    }

    func testReplacedResourceKeepingAReferencedNameStillReappliesTheDependent() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1, "zone": "a"]),
                           record("b", ["name": "beta", "size": 1, "target": "alpha"], dependencies: [.thing("a")])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "zone": "b"]),
                             harness.thing("b", ["name": "beta", "target": .ref("a", "name")])], prior: prior)
        XCTAssertEqual(plan.action("a"), .replace)
        XCTAssertEqual(plan.action("b"), .update)
        XCTAssertEqual(plan.change(.thing("b"))?.after?["target"], "alpha")
    }

    // MARK: - Targets and destroy

    func testTargetLimitsThePlanToTargetsAndTheirDependencies() throws {
        let plan = try plan([
            harness.thing("a", ["name": "alpha"]),
            harness.thing("b", ["name": "beta", "target": .ref("a", "arn")]),
            harness.thing("c", ["name": "gamma", "target": .ref("b", "arn")]),
            harness.thing("d", ["name": "delta"]),
        ], prior: state([record("old", ["name": "old"])]), PlanOptions(targets: [.thing("b")]))
        XCTAssertEqual(plan.changes.map(\.address), [.thing("a"), .thing("b")])
        XCTAssertEqual(plan.targets, [.thing("b")])
    }

    func testTargetedUndeclaredResourceIsDeleted() throws {
        let plan = try plan([harness.thing("a", ["name": "alpha"])],
                            prior: state([record("a", ["name": "alpha", "size": 1]), record("old", ["name": "old"])]),
                            PlanOptions(targets: [.thing("old")]))
        XCTAssertEqual(plan.changes.map(\.address), [.thing("old")])
        XCTAssertEqual(plan.action("old"), .delete)
    }

    func testDestroyPlanDeletesEverythingRecordedAndRemovesOutputs() throws {
        let prior = state([record("a", ["name": "alpha"]), record("b", ["name": "beta"], dependencies: [.thing("a")])],
                          deposed: [record("a", id: "old", ["name": "x"])],
                          outputs: ["arn": OutputRecord(value: "arn:x", sensitive: false)])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior, PlanOptions(destroy: true))
        XCTAssertTrue(plan.isDestroy)
        XCTAssertEqual(plan.changes.map(\.action), [.delete, .delete, .delete])
        XCTAssertEqual(plan.changes.map(\.id), ["a", "old", "b"])
        XCTAssertEqual(plan.outputs, [OutputChange(name: "arn", before: "arn:x", after: nil, sensitive: false)])
        XCTAssertEqual(plan.counts.destroy, 3)
    }

    func testTargetedDestroyDeletesTheTargetAndItsDependentsOnly() throws {
        let prior = state([record("a", ["name": "alpha"]), record("b", ["name": "beta"], dependencies: [.thing("a")]),
                           record("c", ["name": "gamma"], dependencies: [.thing("b")]), record("d", ["name": "delta"])])
        let plan = try plan([], prior: prior, PlanOptions(targets: [.thing("b")], destroy: true))
        XCTAssertEqual(plan.changes.map(\.address), [.thing("b"), .thing("c")])
    }

    // MARK: - Drift, outputs, counts

    func testDriftIsCarriedAndTheChangedPropertyIsRestored() async throws {
        let harness = Harness()
        let stack = harness.stack([harness.thing("a", ["name": "alpha", "label": "mine"])])
        try await harness.apply(stack)
        await harness.cloud.drift(id: "alpha", property: "label", to: "theirs")
        let plan = try await harness.plan(stack)
        XCTAssertEqual(plan.drift, [Drift(address: .thing("a"), deleted: false,
                                          changes: [PropertyDrift(name: "label", recorded: "mine", actual: "theirs")],
                                          sensitiveNames: ["secret"])])
        XCTAssertEqual(plan.action("a"), .update)
        XCTAssertEqual(plan.change(.thing("a"))?.before?["label"], "theirs")
    }

    /// A destroy reads what deleting needs (`readForDestroy`, here the default: the whole read)
    /// and reports only what was deleted outside: a changed property is no drift of a destroy.
    func testADestroyPlanReportsOnlyResourcesDeletedOutside() async throws {
        let harness = Harness()
        let stack = harness.stack([harness.thing("a", ["name": "alpha", "label": "mine"]), harness.thing("b", ["name": "beta"])])
        try await harness.apply(stack)
        await harness.cloud.drift(id: "alpha", property: "label", to: "theirs")
        await harness.cloud.removeOutside(id: "beta")
        let plan = try await harness.plan(stack, PlanOptions(destroy: true))
        XCTAssertEqual(plan.drift, [Drift(address: .thing("b"), deleted: true)])
        XCTAssertEqual(plan.changes.map(\.address), [.thing("a")])
        XCTAssertEqual(plan.action("a"), .delete)
    }

    func testResourceDeletedOutsideIsCreatedAgain() async throws {
        let harness = Harness()
        let stack = harness.stack([harness.thing("a", ["name": "alpha"])])
        try await harness.apply(stack)
        await harness.cloud.removeOutside(id: "alpha")
        let plan = try await harness.plan(stack)
        XCTAssertEqual(plan.drift, [Drift(address: .thing("a"), deleted: true)])
        XCTAssertEqual(plan.action("a"), .create)
    }

    func testOutputsReportNewChangedUnknownAndRemovedValues() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1])],
                          outputs: ["name": OutputRecord(value: "old", sensitive: false),
                                    "same": OutputRecord(value: "a", sensitive: false),
                                    "gone": OutputRecord(value: "x", sensitive: true)])
        let plan = try plan([harness.thing("a", ["name": "alpha"]), harness.thing("b", ["name": "beta"])], prior: prior, outputs: [
            OutputDeclaration(name: "name", value: .ref("a", "name")),
            OutputDeclaration(name: "same", value: .ref("a", "id")),
            OutputDeclaration(name: "new", value: .ref("b", "arn"), sensitive: true),
        ])
        XCTAssertEqual(plan.outputs, [
            OutputChange(name: "gone", before: "x", after: nil, sensitive: true),
            OutputChange(name: "name", before: "old", after: "alpha", sensitive: false),
            OutputChange(name: "new", before: nil, after: .unknown, sensitive: true),
            OutputChange(name: "same", before: "a", after: "a", sensitive: false),
        ])
        XCTAssertEqual(plan.outputs.map(\.changes), [true, true, true, false])
    }

    func testOnlyAnOutputChangeStillCountsAsAChange() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1])])
        let plan = try plan([harness.thing("a", ["name": "alpha"])], prior: prior,
                            outputs: [OutputDeclaration(name: "name", value: .ref("a", "name"))])
        XCTAssertTrue(plan.actionable.isEmpty)
        XCTAssertTrue(plan.hasChanges)
    }

    func testCountsAddAReplacementToBothAddAndDestroy() throws {
        let prior = state([record("upd", ["name": "upd", "size": 1]), record("rep", ["name": "rep", "size": 1]),
                           record("same", ["name": "same", "size": 1]), record("del", ["name": "del"])])
        let plan = try plan([
            harness.thing("new", ["name": "new"]),
            harness.thing("upd", ["name": "upd", "label": "x"]),
            harness.thing("rep", ["name": "rep2"]),
            harness.thing("same", ["name": "same"]),
        ], prior: prior)
        let counts = plan.counts
        XCTAssertEqual([counts.add, counts.change, counts.destroy], [2, 1, 2])
        XCTAssertEqual(plan.changes.count, 5, "no-ops are kept in the plan")
    }

    func testPlanCarriesTheStateLineageAndSerialAndRoundTripsThroughItsFile() throws {
        let prior = state([record("a", ["name": "alpha", "size": 1])])
        let plan = try plan([harness.thing("a", ["name": "alpha", "label": "x"]), harness.thing("b", ["target": .ref("a", "version")])], prior: prior)
        XCTAssertEqual(plan.lineage, "lineage-1")
        XCTAssertEqual(plan.serial, 7)
        let decoded = try Plan.decode(plan.encoded(), origin: "plan.json")
        XCTAssertEqual(decoded, plan)
        XCTAssertEqual(decoded.change(.thing("b"))?.after?["target"], .unknown)
    }

    func testSavedPlanOfAnotherFormatIsRefused() throws {
        let text = try XCTUnwrap(String(data: plan([]).encoded(), encoding: .utf8))
            .replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":2")
        XCTAssertThrowsError(try Plan.decode(Data(text.utf8), origin: "p.json")) { error in
            XCTAssertEqual("\(error)", "p.json is a plan of format 2; this imgstack reads 1")
        }
        XCTAssertThrowsError(try Plan.decode(Data("{}".utf8), origin: "p.json")) { error in
            XCTAssertEqual("\(error)", "p.json is not an imgstack plan file")
        }
    }
}
