namespace Coup.History;

/// <summary>
/// The values each word-valued field of <c>history.jsonl</c> may take, exactly as written (case
/// matters). The reader refuses anything else, so no checker ever meets a value it does not know.
/// </summary>
public static class Roles
{
    public const string Leader = "leader";
    public const string Follower = "follower";
    public const string Candidate = "candidate";

    public static IReadOnlyList<string> All { get; } = [Leader, Follower, Candidate];
}

/// <summary>Where a <c>state</c> came from.</summary>
public static class StateSources
{
    /// <summary>Pushed by the node on its event stream.</summary>
    public const string Stream = "stream";
    public const string Poll = "poll";
    /// <summary>The final observation after the last heal.</summary>
    public const string Final = "final";

    public static IReadOnlyList<string> All { get; } = [Stream, Poll, Final];
}

public static class OpPhases
{
    public const string Invoke = "invoke";
    public const string Ok = "ok";
    public const string Fail = "fail";
    /// <summary>Indeterminate: the write may or may not have taken effect.</summary>
    public const string Info = "info";

    public static IReadOnlyList<string> All { get; } = [Invoke, Ok, Fail, Info];
}

/// <summary>What a client operation does; only writes so far.</summary>
public static class OpFunctions
{
    public const string Write = "write";

    public static IReadOnlyList<string> All { get; } = [Write];
}

public static class FaultPhases
{
    public const string Start = "start";
    public const string Stop = "stop";

    public static IReadOnlyList<string> All { get; } = [Start, Stop];
}

/// <summary>
/// The kinds a <c>fault</c> line records. A chase is recorded as partitions and an amnesia as a
/// pause, partitions and a kill, so neither appears here (they do in <see cref="NemesisKinds"/>).
/// </summary>
public static class FaultKinds
{
    public const string Kill = "kill";
    public const string Pause = "pause";
    public const string Partition = "partition";
    public const string Clock = "clock";
    /// <summary>Packet loss, delay, duplication or reordering on some links (docs/packets.md).</summary>
    public const string Packet = "packet";

    public static IReadOnlyList<string> All { get; } = [Kill, Pause, Partition, Clock, Packet];

    /// <summary>Kinds that can take a leader away from the rest of the cluster.</summary>
    public static bool CanRemoveLeader(string kind) => kind is Kill or Pause or Partition;
}

/// <summary>The fault kinds a run can enable (<c>run-start</c>'s <c>nemesis</c>).</summary>
public static class NemesisKinds
{
    public const string Chase = "chase";
    public const string Amnesia = "amnesia";

    /// <summary>The kinds a nemesis names bare; a packet fault is named by its shape only.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. FaultKinds.All.Where(k => k != FaultKinds.Packet), Chase, Amnesia];

    /// <summary>The packet faults a nemesis can name, as <c>packet-FAULT[=FIGURES][:TARGET]</c>.</summary>
    public static IReadOnlyList<string> PacketFaults { get; } =
        ["packet-loss", "packet-delay", "packet-dup", "packet-reorder"];

    /// <summary>The clock strobe a nemesis can name, as <c>clock-strobe[=DELTAms/PERIODms][:TARGET]</c>.</summary>
    public const string ClockStrobe = "clock-strobe";

    /// <summary>The partition shapes a nemesis can name, as <c>partition-SHAPE[:TARGET]</c>.</summary>
    public static IReadOnlyList<string> PartitionShapes { get; } =
        ["partition-halves", "partition-isolate", "partition-one-way-in", "partition-one-way-out", "partition-bridge",
            "partition-ring", "partition-minority"];

    /// <summary>
    /// Null when <paramref name="name"/> is a kind, a partition shape or a packet fault, with or without
    /// figures and a target.
    /// </summary>
    public static string? Problem(string name) =>
        All.Contains(name) || PartitionShapes.Contains(name.Split(':')[0])
            || PacketFaults.Append(ClockStrobe).Contains(name.Split(':')[0].Split('=')[0]) ? null
            : $"nemesis '{name}' is not one of {string.Join(", ", All)}, " +
                $"{string.Join(", ", PartitionShapes)} with an optional :TARGET, " +
                $"or {string.Join(", ", PacketFaults.Append(ClockStrobe))} with optional =FIGURES and :TARGET";
}

public static class ObserverPhases
{
    public const string Up = "up";
    public const string Down = "down";

    public static IReadOnlyList<string> All { get; } = [Up, Down];
}

/// <summary>Why a run ended (<c>run-end</c>'s <c>reason</c>).</summary>
public static class RunEndReasons
{
    public const string TimeLimit = "time-limit";
    public const string Interrupted = "interrupted";
    public const string Error = "error";

    public static IReadOnlyList<string> All { get; } = [TimeLimit, Interrupted, Error];
}

public static class Runtimes
{
    public const string Docker = "docker";
    public const string Sim = "sim";

    public static IReadOnlyList<string> All { get; } = [Docker, Sim];
}
