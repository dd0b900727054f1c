using System.Globalization;

namespace Coup.Harness.Docker;

/// <summary>
/// The harness process that owns a run, as labels on everything the run creates: the host, its
/// boot, the pid namespace, the pid and the pid's start time (clock ticks after boot, so a reused
/// pid is not mistaken for the owner). A later harness reads them to tell a run whose owner is
/// gone from one whose owner still runs.
/// </summary>
public sealed record HarnessOwner(string Host, string BootId, string PidNamespace, int Pid, long StartTicks)
{
    public const string HostLabel = "coup.harness.host";
    public const string BootLabel = "coup.harness.boot";
    public const string PidNamespaceLabel = "coup.harness.pidns";
    public const string PidLabel = "coup.harness.pid";
    public const string StartLabel = "coup.harness.start";

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string>
    {
        [HostLabel] = Host,
        [BootLabel] = BootId,
        [PidNamespaceLabel] = PidNamespace,
        [PidLabel] = Pid.ToString(CultureInfo.InvariantCulture),
        [StartLabel] = StartTicks.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The owner named by <paramref name="labels"/>; null when any label is missing or malformed.</summary>
    public static HarnessOwner? FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.TryGetValue(HostLabel, out var host) && host.Length > 0
            && labels.TryGetValue(BootLabel, out var boot) && boot.Length > 0
            && labels.TryGetValue(PidNamespaceLabel, out var pidNamespace) && pidNamespace.Length > 0
            && labels.TryGetValue(PidLabel, out var pidText)
            && int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && labels.TryGetValue(StartLabel, out var startText)
            && long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return new HarnessOwner(host, boot, pidNamespace, pid, start);
        }
        return null;
    }
}
