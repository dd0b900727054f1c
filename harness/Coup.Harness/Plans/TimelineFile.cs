using System.Text;
using System.Text.Json.Nodes;
using Coup.Faults.Timelines;

namespace Coup.Harness.Plans;

/// <summary>
/// A timeline given to <c>coup run --timeline</c> or a plan's nemeses: a YAML or JSON file, or the
/// document itself inline (what a reproduce line carries), read as plan files are read
/// (<see cref="PlanDocument"/>) and checked by <see cref="TimelineReader"/> and <c>plans/timeline.schema.json</c>.
/// </summary>
public static class TimelineFile
{
    /// <summary>Text that is the document itself rather than a file name: a JSON list or map.</summary>
    public static bool IsInline(string text) => text.TrimStart() is ['[' or '{', ..];

    /// <summary>
    /// The timeline in <paramref name="fileOrText"/>; every problem goes to stderr, one line each with its
    /// pointer, and ends the command with the usage code.
    /// </summary>
    public static Timeline Load(string fileOrText)
    {
        var inline = IsInline(fileOrText);
        var source = inline ? "--timeline" : fileOrText;
        if (!inline)
        {
            Cli.Inputs.ReadableFile(fileOrText, "timeline file");
        }
        var document = inline ? PlanDocument.Parse(source, Encoding.UTF8.GetBytes(fileOrText))
            : PlanDocument.Load(fileOrText);
        var (timeline, problems) = Read(document.Root);
        if (timeline is null)
        {
            foreach (var problem in problems.SkipLast(1))
            {
                Console.Error.WriteLine($"coup: {problem.Line(source)}");
            }
            throw CoupException.Usage(problems[^1].Line(source));
        }
        return timeline;
    }

    /// <summary>
    /// The timeline, or its problems: the reader's, which say what is wrong in the timeline's own words,
    /// else the schema's, which also checks what the reader takes for granted.
    /// </summary>
    public static (Timeline? Timeline, IReadOnlyList<PlanProblem> Problems) Read(JsonNode? root)
    {
        var (timeline, problems) = TimelineReader.Read(root);
        if (timeline is null)
        {
            return (null, [.. problems.Select(p => new PlanProblem(p.Pointer, p.Message))]);
        }
        var schema = PlanSchema.CheckTimeline(root);
        return schema.Count == 0 ? (timeline, []) : (null, schema);
    }
}
