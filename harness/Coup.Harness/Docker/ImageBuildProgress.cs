using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Coup.Harness.Docker;

/// <summary>
/// What an image build shows while it runs: a line per Dockerfile step as the engine starts it
/// ("building image X: step k/n, elapsed: RUN ..."), and the same every <see cref="ReminderPeriod"/>
/// while a long step (ZooKeeper's apt-get, ~12 minutes on a fresh machine) runs on.
/// </summary>
public sealed partial class ImageBuildProgress(string image, TextWriter output, Func<TimeSpan> elapsed)
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(30);
    private const int InstructionLengthMax = 80;

    private string _step = "step 0/?";
    private readonly Lock _lock = new();

    public static ImageBuildProgress Start(string image, TextWriter output)
    {
        var stopwatch = Stopwatch.StartNew();
        return new ImageBuildProgress(image, output, () => stopwatch.Elapsed);
    }

    /// <summary>Takes one line of the engine's build output; prints it when it begins a step.</summary>
    public void Take(string? line)
    {
        if (line is null || StepLine().Match(line) is not { Success: true } step)
        {
            return;
        }
        var instruction = step.Groups["instruction"].Value.Trim();
        if (instruction.Length > InstructionLengthMax)
        {
            instruction = instruction[..InstructionLengthMax] + "...";
        }
        lock (_lock)
        {
            _step = $"step {step.Groups["k"].Value}/{step.Groups["n"].Value}";
            output.WriteLine($"{Status()}: {instruction}");
        }
    }

    /// <summary>The step the build is at and how long it has taken, for a periodic reminder.</summary>
    public void Remind()
    {
        lock (_lock)
        {
            output.WriteLine(Status());
        }
    }

    private string Status() => $"building image {image}: {_step}, {elapsed().TotalSeconds:0}s";

    [GeneratedRegex(@"^Step (?<k>\d+)/(?<n>\d+) : (?<instruction>.*)$")]
    private static partial Regex StepLine();
}
