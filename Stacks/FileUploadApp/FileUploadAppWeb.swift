import ImgStack

/// The app's instances: security groups (the load balancer's takes HTTP from anywhere, the
/// instances' only the app port from the load balancer's), the instance role and profile, the
/// launch template running the container, the load balancer in the default VPC's public
/// subnets, its target group and listener, and the auto-scaling group with its CPU policy.
struct FileUploadAppWeb {
    let loadBalancer: ELBv2.LoadBalancer

    init(_ stack: StackBuilder, settings: FileUploadAppSettings, storage: FileUploadAppStorage, identity: FileUploadAppIdentity) {
        let vpc = stack.lookup(EC2.VPCLookup.defaultVPC("default"))
        let subnets = stack.lookup(EC2.SubnetsLookup("public", vpcID: vpc.id, publicOnly: true))
        let ami = stack.lookup(SSM.ParameterLookup.latestAmazonLinux2023AMI("al2023"))

        let balancerGroup = stack.add(EC2.SecurityGroup("balancer", name: Text("\(settings.service)-alb"),
                                                        description: "HTTP from anywhere to the load balancer", vpcID: vpc.id,
                                                        tags: settings.tags))
        stack.add(EC2.SecurityGroupRule("balancer_http", securityGroupID: balancerGroup.id, direction: .ingress, ipProtocol: "tcp",
                                        fromPort: 80, toPort: 80, peer: .cidrIPv4("0.0.0.0/0"), description: "HTTP from anywhere"))
        let instanceGroup = stack.add(EC2.SecurityGroup("instances", name: Text("\(settings.service)-instances"),
                                                        description: "The app port from the load balancer only", vpcID: vpc.id,
                                                        tags: settings.tags))
        stack.add(EC2.SecurityGroupRule("instances_app", securityGroupID: instanceGroup.id, direction: .ingress, ipProtocol: "tcp",
                                        fromPort: settings.appPort, toPort: settings.appPort, peer: .securityGroup(balancerGroup.id),
                                        description: "The app port from the load balancer"))

        let role = stack.add(IAM.Role(
            "instance", name: Text("\(settings.service)-instance"),
            assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com")),
            ]),
            description: "Lets the \(settings.service) instances read their settings and store uploads",
            inlinePolicies: ["ssm_read_access_and_s3_access": PolicyDocument([
                Statement(sid: "ReadSettings", effect: .allow, actions: ["ssm:GetParameter", "ssm:GetParameters"],
                          resources: identity.parameters.map(\.arn)),
                Statement(sid: "DecryptSecret", effect: .allow, actions: ["kms:Decrypt"], resources: [storage.key.arn]),
                Statement(sid: "StoreUploads", effect: .allow, actions: ["s3:PutObject"], resources: ["\(storage.normalBucket.arn)/*"]),
            ])],
            tags: settings.tags))
        let profile = stack.add(IAM.InstanceProfile("instance", name: Text("\(settings.service)-instance"), role: role.roleName))

        let template = stack.add(EC2.LaunchTemplate(
            "app", name: Text(settings.service), imageID: ami.value, instanceType: Text(settings.instanceType),
            userData: Self.userData(settings, identity: identity, bucket: storage.normalBucket),
            instanceProfile: .arn(profile.arn), securityGroupIDs: [instanceGroup.id], tags: settings.tags))

        loadBalancer = stack.add(ELBv2.LoadBalancer("app", loadBalancerName: Text(settings.service), subnets: subnets.ids,
                                                    securityGroups: [balancerGroup.id], tags: settings.tags))
        let targets = stack.add(ELBv2.TargetGroup("app", targetGroupName: Text(settings.service), port: settings.appPort,
                                                  vpcID: vpc.id, healthCheckPath: "/", tags: settings.tags))
        stack.add(ELBv2.Listener("http", loadBalancerARN: loadBalancer.arn, port: 80, targetGroupARN: targets.arn, tags: settings.tags))
        let group = stack.add(AutoScaling.Group(
            "app", name: Text(settings.service), launchTemplateID: template.id, launchTemplateVersion: template.latestVersion,
            minSize: settings.minSize, maxSize: settings.maxSize, subnetIDs: subnets.ids, targetGroupARNs: [targets.arn],
            healthCheckType: .elb, tags: settings.tags.mapValues { AutoScaling.Group.Tag($0) }))
        stack.add(AutoScaling.ScalingPolicy("cpu", name: Text("\(settings.service)-cpu"), autoScalingGroupName: group.autoScalingGroupName,
                                            targetValue: settings.targetCPU))
    }

    /// The instances' first-boot script: installs Docker and runs the app's container, telling it
    /// the region, the names of the parameters it reads its Cognito settings from and the bucket
    /// uploads go to (never the secret itself: the app reads it from SSM with the instance role).
    static func userData(_ settings: FileUploadAppSettings, identity: FileUploadAppIdentity, bucket: S3.Bucket) -> Text {
        """
        #!/bin/bash
        set -euo pipefail
        dnf install -y docker
        systemctl enable --now docker
        docker run -d --restart always -p \(settings.appPort):\(settings.appPort) \\
          -e AWS_REGION=\(settings.region) \\
          -e USER_POOL_ID_PARAMETER=\(identity.userPoolIDParameter.parameterName) \\
          -e CLIENT_ID_PARAMETER=\(identity.clientIDParameter.parameterName) \\
          -e CLIENT_SECRET_PARAMETER=\(identity.clientSecretParameter.parameterName) \\
          -e NORMAL_BUCKET=\(bucket.bucketName) \\
          \(settings.containerImage)
        """
    }
}
