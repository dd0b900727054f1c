namespace Coup.Nodes;

/// <summary>
/// One algorithm a user can name with <c>--algorithm</c>. Each algorithm folder defines one (or one
/// per variant) and adds it to <see cref="Algorithms.All"/>.
/// </summary>
public interface IAlgorithmDefinition
{
    /// <summary>What users type, e.g. <c>raft</c> or <c>raft-forgets-vote</c>.</summary>
    string Name { get; }
    /// <summary>One line: how it elects.</summary>
    string Description { get; }
    /// <summary>
    /// One line: the safety it claims, e.g. "at most one leader per term" or "none under partitions".
    /// </summary>
    string Safety { get; }
    /// <summary>True for variants broken on purpose, which exist to prove the checkers catch them.</summary>
    bool Broken => false;
    /// <summary>
    /// True when a node speaks for one group at a time, so its word in one group ends its word in
    /// any other (invitation's merges); false when a node leads or follows several groups at once
    /// (a broker's partitions).
    /// </summary>
    bool ExclusiveGroups => true;
    /// <summary>For people, where terms are not a plain election counter: how this algorithm forms them.</summary>
    string? TermsFormed => null;
    /// <summary>
    /// The group whose leader must take write <paramref name="writeId"/>, or null when any leader may.
    /// </summary>
    string? GroupOfWrite(long writeId) => null;
    /// <summary>Creates a node; <paramref name="random"/> drives every random choice it makes.</summary>
    IElectionNode Create(ClusterConfig config, HardState state, Random random);
}

/// <summary>The algorithms a host can run, by the name users type.</summary>
public static class Algorithms
{
    /// <summary>
    /// Every algorithm, listed rather than found by reflection so the node host runs as a Native AOT
    /// binary (which keeps no list of an assembly's types); a test checks that no definition is left out.
    /// </summary>
    public static IReadOnlyList<IAlgorithmDefinition> All { get; } = [.. new IAlgorithmDefinition[]
        {
            new Bully.BullyDefinition(),
            new CandidateOrdinary.CandidateOrdinaryDefinition(),
            new Invitation.InvitationDefinition(),
            new Kafka.KafkaDefinition(),
            new Kafka.KafkaUnfencedDefinition(),
            new NextInLine.NextInLineDefinition(),
            new Raft.RaftDefinition(),
            new Raft.RaftPreVoteDefinition(),
            new Raft.RaftCheckQuorumDefinition(),
            new Raft.RaftPreVoteCheckQuorumDefinition(),
            new Raft.RaftForgetsVoteDefinition(),
            new Raft.RaftNoTermCheckDefinition(),
            new Ring.RingDefinition(),
            new Zab.ZabDefinition(),
            new Zab.ZabEarlyClaimDefinition(),
        }
        .OrderBy(a => a.Broken)
        .ThenBy(a => a.Name, StringComparer.Ordinal)];

    public static IReadOnlyList<string> Names => [.. All.Select(a => a.Name)];

    public static bool IsKnown(string name) => All.Any(a => a.Name == name);

    public static IAlgorithmDefinition Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"unknown algorithm '{name}'; known: {string.Join(", ", Names)}", nameof(name));

    /// <summary>Creates a node; <paramref name="seed"/> drives every random choice it makes.</summary>
    public static IElectionNode Create(string name, ClusterConfig config, HardState state, int seed) =>
        Get(name).Create(config, state, new Random(seed));
}
