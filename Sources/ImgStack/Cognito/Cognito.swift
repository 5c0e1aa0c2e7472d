/// Amazon Cognito resources: user pools with their app clients, hosted UI domains and federated
/// identity providers; identity pools and their roles.
public enum Cognito {}
