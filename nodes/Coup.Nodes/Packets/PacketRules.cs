namespace Coup.Nodes.Packets;

/// <summary>The shape a node host puts on its link to one peer.</summary>
public sealed record PacketRule
{
    public required int Peer { get; init; }
    public required PacketShape Shape { get; init; }
}

/// <summary>
/// The body of the node host's <c>POST /packets</c>: the shaping of its outbound peer links, in place
/// of any in force; links it does not name are not shaped. <c>DELETE /packets</c> takes all shaping off.
/// </summary>
public sealed record PacketRules
{
    public required IReadOnlyList<PacketRule> Rules { get; init; }

    /// <summary>The one-line reason these rules cannot be applied among <paramref name="peers"/>, or null.</summary>
    public string? Problem(IReadOnlyCollection<int> peers) =>
        Rules.FirstOrDefault(r => !peers.Contains(r.Peer)) is { } stranger
            ? $"n{stranger.Peer} is not a peer of this node"
            : Rules.Select(r => r.Shape.Problem() is { } problem ? $"link to n{r.Peer}: {problem}" : null)
                .FirstOrDefault(p => p is not null);
}
