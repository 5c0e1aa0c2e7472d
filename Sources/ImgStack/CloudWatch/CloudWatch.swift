/// Amazon CloudWatch resources: metric alarms.
public enum CloudWatch {}
