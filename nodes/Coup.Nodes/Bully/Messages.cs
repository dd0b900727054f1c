namespace Coup.Nodes.Bully;

/// <summary>"Each process sends an election message to the processes of higher rank" (seed 004).</summary>
public sealed record Election : Message
{
    public required long Term { get; init; }
}

/// <summary>A higher-ranked process says it is alive.</summary>
public sealed record Answer : Message
{
    public required long Term { get; init; }
}

/// <summary>The initiator asks the highest process that answered to go on with the election.</summary>
public sealed record Proceed : Message
{
    public required long Term { get; init; }
}

/// <summary>The winner tells the others it leads; repeated as the leader's heartbeat.</summary>
public sealed record Coordinator : Message
{
    public required long Term { get; init; }
}
