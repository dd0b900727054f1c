using System.Globalization;

namespace Coup.Harness.Docker;

/// <summary>This harness's identity and the start times of pids, read from /proc (Linux).</summary>
public static class LocalProcesses
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";
    private const string MachineIdPath = "/etc/machine-id";

    private static readonly Lazy<HarnessOwner> SelfOnce = new(ReadSelf);

    /// <summary>The running harness, as the owner labels name it.</summary>
    public static HarnessOwner Self => SelfOnce.Value;

    /// <summary>
    /// The start time of <paramref name="pid"/> in clock ticks after boot; null when no such process runs.
    /// </summary>
    public static long? StartTicksOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            // The process ended while its stat was read (ESRCH).
            return null;
        }
        return ProcStat.StartTicks(stat);
    }

    private static HarnessOwner ReadSelf()
    {
        try
        {
            var pid = Environment.ProcessId;
            var start = StartTicksOf(pid) ?? throw new IOException($"/proc/{pid}/stat is missing");
            return new HarnessOwner(
                Host(), File.ReadAllText(BootIdPath).Trim(), PidNamespace(), pid, start);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw CoupException.Environment(
                $"cannot read this process's identity from /proc ({e.Message}); "
                + "runs in containers need Linux's /proc", e);
        }
    }

    /// <summary>The machine id, which survives reboots; the host name where there is none.</summary>
    private static string Host() =>
        File.Exists(MachineIdPath) && File.ReadAllText(MachineIdPath).Trim() is { Length: > 0 } machine
            ? machine
            : Environment.MachineName;

    /// <summary>Pids mean something only within their namespace: <c>pid:[4026531836]</c>.</summary>
    private static string PidNamespace() =>
        new FileInfo("/proc/self/ns/pid").LinkTarget ?? throw new IOException("/proc/self/ns/pid is not a link");
}

/// <summary>Reads /proc/&lt;pid&gt;/stat.</summary>
public static class ProcStat
{
    /// <summary>Field 22, starttime. Field 2, the command in parentheses, may hold spaces and ')'.</summary>
    public static long StartTicks(string stat)
    {
        var afterCommand = stat.LastIndexOf(')');
        var fields = afterCommand < 0
            ? []
            : stat[(afterCommand + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Fields after the command start at field 3.
        const int startTimeIndex = 22 - 3;
        return fields.Length > startTimeIndex
            && long.TryParse(fields[startTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? ticks
                : throw new FormatException($"no start time in /proc stat line '{stat.Trim()}'");
    }
}
