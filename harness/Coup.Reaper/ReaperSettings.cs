using System.Globalization;

namespace Coup.Reaper;

/// <summary>The reaper's settings, read from its environment and checked before it listens.</summary>
public sealed record ReaperSettings(string RunId, TimeSpan Grace, TimeSpan ConnectTimeout)
{
    private const int TimeoutMsMax = 600_000;

    public static ReaperSettings FromEnvironment(Func<string, string?> variable)
    {
        var runId = variable(ReaperContract.RunVariable);
        if (string.IsNullOrWhiteSpace(runId)
            || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"{ReaperContract.RunVariable} must be a run id (letters, digits, '-', '_', '.'), got '{runId}'");
        }
        return new ReaperSettings(
            runId,
            Milliseconds(variable, ReaperContract.GraceVariable, ReaperContract.GraceMsDefault),
            Milliseconds(variable, ReaperContract.ConnectTimeoutVariable, ReaperContract.ConnectTimeoutMsDefault));
    }

    private static TimeSpan Milliseconds(Func<string, string?> variable, string name, int fallback)
    {
        var text = variable(name);
        if (text is null)
        {
            return TimeSpan.FromMilliseconds(fallback);
        }
        var parsed = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value);
        return parsed && value <= TimeoutMsMax
            ? TimeSpan.FromMilliseconds(value)
            : throw new ArgumentException($"{name} must be whole milliseconds from 0 to {TimeoutMsMax}, got {text}");
    }
}
