import AWS
import Engine

/// AWS Security Token Service lookups: who the run's credentials belong to.
public enum STS {}
