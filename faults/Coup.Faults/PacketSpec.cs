using System.Globalization;
using Coup.Nodes.Packets;

namespace Coup.Faults;

public enum PacketFault { Loss, Delay, Duplicate, Reorder }

/// <summary>One direction of a link between two nodes: messages from <see cref="From"/> to <see cref="To"/>.</summary>
public readonly record struct PacketLink(string From, string To)
{
    public override string ToString() => $"{From}->{To}";
}

/// <summary>A packet shape put on some links: what a packet fault does once its targets are chosen.</summary>
public sealed record PacketShaping(PacketShape Shape, IReadOnlyList<PacketLink> Links);

/// <summary>
/// A packet fault as a user names it: <c>packet-loss[=P]</c>, <c>packet-delay[=MS[~J]]</c>,
/// <c>packet-dup[=P]</c> or <c>packet-reorder[=P]</c>, with <c>:TARGET</c> as partitions take it
/// (default <c>all</c>). It shapes every link to and from the targets, both ways (docs/packets.md).
/// Reordering holds the other messages back by the default delay and sends P % at once.
/// </summary>
public sealed record PacketSpec
{
    public required PacketFault Fault { get; init; }
    public required PacketShape Shape { get; init; }
    public NodeTarget Target { get; init; } = All;

    public static NodeTarget All { get; } = new() { Kind = NodeTargetKind.All };

    private static readonly IReadOnlyList<(string Name, PacketFault Fault, string Value)> Faults =
    [
        ("packet-loss", PacketFault.Loss, "P"),
        ("packet-delay", PacketFault.Delay, "MS[~J]"),
        ("packet-dup", PacketFault.Duplicate, "P"),
        ("packet-reorder", PacketFault.Reorder, "P"),
    ];

    /// <summary>Every name a packet spec can start with, for help texts and refusals.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Faults.Select(f => f.Name)];

    public const string Prefix = "packet-";

    /// <summary>Whether the shape needs a delay, which only netem or Coup's own node host can add.</summary>
    public bool Delays => Shape.DelayMs > 0 || Shape.DuplicatePercent > 0 || Shape.ReorderPercent > 0;

    /// <summary>The spec <paramref name="text"/> names, or null with the one-line reason.</summary>
    public static PacketSpec? Parse(string text, out string? problem)
    {
        var (name, valueText, targetText) = FaultSpecText.Split(text);
        problem = null;
        if (Faults.FirstOrDefault(f => f.Name == name) is not { Name: not null } known)
        {
            problem = $"unknown packet fault '{name}'; use one of " +
                $"{string.Join(", ", Faults.Select(f => $"{f.Name}[={f.Value}]"))}, each with an optional :TARGET " +
                $"({NodeTarget.Vocabulary})";
            return null;
        }
        var shape = valueText is null ? Default(known.Fault) : ParseShape(known.Fault, valueText, out problem);
        if (shape is null || (problem = shape.Problem()) is not null)
        {
            problem = $"{text}: {problem}";
            return null;
        }
        var target = targetText is null ? All : NodeTarget.Parse(targetText, out problem);
        if (target is null)
        {
            problem = $"{name}: {problem}";
            return null;
        }
        return new PacketSpec { Fault = known.Fault, Shape = shape, Target = target };
    }

    private static PacketShape Default(PacketFault fault) => fault switch
    {
        PacketFault.Loss => new PacketShape { LossPercent = PacketShape.LossPercentDefault },
        PacketFault.Delay =>
            new PacketShape { DelayMs = PacketShape.DelayMsDefault, JitterMs = PacketShape.JitterMsDefault },
        PacketFault.Duplicate => new PacketShape { DuplicatePercent = PacketShape.DuplicatePercentDefault },
        _ => Reordering(PacketShape.ReorderPercentDefault),
    };

    private static PacketShape Reordering(int percent) => new()
    {
        ReorderPercent = percent,
        DelayMs = PacketShape.DelayMsDefault,
        JitterMs = PacketShape.JitterMsDefault,
    };

    private static PacketShape? ParseShape(PacketFault fault, string text, out string? problem)
    {
        problem = null;
        if (fault == PacketFault.Delay)
        {
            var parts = text.Split('~');
            if (parts.Length <= 2 && Whole(parts[0]) is { } delayMs
                && (parts.Length == 1 || Whole(parts[1]) is not null))
            {
                return new PacketShape
                {
                    DelayMs = delayMs,
                    JitterMs = parts.Length == 2 ? Whole(parts[1])!.Value : 0,
                };
            }
            problem = $"the delay must be MS or MS~JITTER in whole ms (packet-delay=200~50), got '{text}'";
            return null;
        }
        if (Whole(text) is not { } percent)
        {
            problem = $"the share must be a whole percent (packet-loss=30), got '{text}'";
            return null;
        }
        return fault switch
        {
            PacketFault.Loss => new PacketShape { LossPercent = percent },
            PacketFault.Duplicate => new PacketShape { DuplicatePercent = percent },
            _ => Reordering(percent),
        };
    }

    private static int? Whole(string text) =>
        text.Length is > 0 and < 7 && text.All(char.IsAsciiDigit)
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The links this spec shapes among <paramref name="nodes"/>: every link to or from a target,
    /// each way; and how they were chosen, for people.
    /// </summary>
    public (PacketShaping Shaping, IReadOnlyList<string> Targets, string Detail) Shaping(
        IReadOnlyList<string> nodes, string? leader, Random random)
    {
        var side = Target.Resolve(nodes, leader, random);
        var links = nodes
            .SelectMany(from => nodes
                .Where(to => to != from && (side.Contains(from) || side.Contains(to)))
                .Select(to => new PacketLink(from, to)))
            .ToList();
        var who = side.Count == nodes.Count ? "all links" : $"the links of {Target.Describe(side, leader)}";
        return (new PacketShaping(Shape, links), side, $"{Shape} on {who}");
    }

    public override string ToString()
    {
        var name = Faults.First(f => f.Fault == Fault).Name;
        var value = Fault switch
        {
            PacketFault.Loss => $"{Shape.LossPercent}",
            PacketFault.Delay => Shape.JitterMs > 0 ? $"{Shape.DelayMs}~{Shape.JitterMs}" : $"{Shape.DelayMs}",
            PacketFault.Duplicate => $"{Shape.DuplicatePercent}",
            _ => $"{Shape.ReorderPercent}",
        };
        var text = Shape == Default(Fault) ? name : $"{name}={value}";
        return Target.Kind == NodeTargetKind.All ? text : $"{text}:{Target}";
    }
}
