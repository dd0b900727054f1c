namespace Coup.Nodes;

/// <summary>The algorithms a host can run, by the name users type.</summary>
public static class Algorithms
{
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        ["raft"] = "Raft leader election: terms, majority votes, heartbeats; at most one leader per term",
        ["bully"] = "Bully (seed 004): highest live rank wins; no majority, so a partition elects a leader per side",
    };

    public static IReadOnlyList<string> Names => [.. Descriptions.Keys];

    public static bool IsKnown(string name) => Descriptions.ContainsKey(name);

    /// <summary>Creates a node; <paramref name="seed"/> drives every random choice it makes.</summary>
    public static IElectionNode Create(string name, ClusterConfig config, HardState state, int seed) => name switch
    {
        "raft" => new Raft.RaftNode(config, state, new Random(seed)),
        "bully" => new Bully.BullyNode(config, state, new Random(seed)),
        _ => throw new ArgumentException($"unknown algorithm '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };
}
