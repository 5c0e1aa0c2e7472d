/// Amazon SNS resources: topics and their subscriptions.
public enum SNS {}
