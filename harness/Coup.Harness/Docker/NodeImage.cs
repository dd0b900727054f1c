using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// The node image, built on first use: the base image offline (debootstrap + docker import),
/// then the node host published self-contained and copied onto it. Tagged by a hash of what
/// went in, so an unchanged host is never rebuilt.
/// </summary>
public static class NodeImage
{
    public const string BaseImage = "coup/base:bookworm";
    private const string Repository = "coup/node";
    private const string ReaperRepository = "coup/reaper";

    public static Task<string> EnsureAsync(DockerClient docker, TextWriter progress, CancellationToken cancellation) =>
        EnsurePublishedAsync(docker, Repository, "nodes/Coup.NodeHost", "node.Dockerfile", ["nodes/Coup.Nodes"], [],
            progress, cancellation);

    /// <summary>
    /// The reaper's image (harness/Coup.Reaper): small enough to start before every run, so it is
    /// trimmed; it shares nothing with the node image, so a run of a real system does not build that.
    /// </summary>
    public static Task<string> EnsureReaperAsync(
        DockerClient docker, TextWriter progress, CancellationToken cancellation) =>
        EnsurePublishedAsync(docker, ReaperRepository, "harness/Coup.Reaper", "reaper.Dockerfile", [],
            ["-r", "linux-x64", "--self-contained", "-p:PublishTrimmed=true"], progress, cancellation);

    /// <summary>
    /// A .NET program published and copied onto the base image by its Dockerfile under nodes/images.
    /// </summary>
    private static async Task<string> EnsurePublishedAsync(
        DockerClient docker, string repository, string project, string dockerfile, IReadOnlyList<string> moreInputs,
        IReadOnlyList<string> publishOptions, TextWriter progress, CancellationToken cancellation)
    {
        var root = RepositoryRoot.Find();
        var baseImage = await EnsureBaseAsync(docker, root, progress, cancellation);
        string[] inputs =
        [
            project, .. moreInputs, $"nodes/images/{dockerfile}", "nodes/images/build-base-image.sh",
            "Directory.Build.props", "Directory.Packages.props",
        ];
        var tag = $"{repository}:{SourceHash(root, baseImage, inputs)}";
        if (await ExistsAsync(docker, tag, cancellation))
        {
            return tag;
        }
        var name = repository.Split('/')[1];
        var context = Directory.CreateDirectory(Path.Combine(root, ".coup", $"{name}-image")).FullName;
        var publish = Path.Combine(context, "publish");
        progress.WriteLine($"publishing {project} (self-contained linux-x64)");
        string[] publishArguments =
            ["publish", Path.Combine(root, project), "-c", "Release", "-o", publish, "-nologo"];
        await RunAsync("dotnet", [.. publishArguments, "-v", "q", .. publishOptions], root, $"{name} publish",
            cancellation);
        File.Copy(
            Path.Combine(root, "nodes/images", dockerfile), Path.Combine(context, "Dockerfile"), overwrite: true);
        await BuildAsync(docker, context, baseImage, tag, progress, cancellation);
        return tag;
    }

    /// <summary>
    /// The image of a real system: <c>nodes/images/&lt;dockerfile&gt;</c> on the base image, which
    /// installs it from Debian's packages; tagged by a hash of the Dockerfile.
    /// </summary>
    public static async Task<string> EnsureSystemAsync(
        DockerClient docker, string name, string dockerfile, TextWriter progress, CancellationToken cancellation)
    {
        var root = RepositoryRoot.Find();
        var baseImage = await EnsureBaseAsync(docker, root, progress, cancellation);
        var tag = $"coup/{name}:{SourceHash(root, baseImage, [Path.Combine("nodes/images", dockerfile)])}";
        if (await ExistsAsync(docker, tag, cancellation))
        {
            return tag;
        }
        var context = Directory.CreateDirectory(Path.Combine(root, ".coup", $"{name}-image")).FullName;
        File.Copy(
            Path.Combine(root, "nodes/images", dockerfile), Path.Combine(context, "Dockerfile"), overwrite: true);
        await BuildAsync(docker, context, baseImage, tag, progress, cancellation);
        return tag;
    }

    private static async Task<string> EnsureBaseAsync(
        DockerClient docker, string root, TextWriter progress, CancellationToken cancellation)
    {
        var baseImage = Environment.GetEnvironmentVariable("COUP_BASE_IMAGE") ?? BaseImage;
        if (!await ExistsAsync(docker, baseImage, cancellation))
        {
            progress.WriteLine($"building base image {baseImage} with debootstrap (a few minutes, once)");
            await RunAsync("bash", [Path.Combine(root, "nodes/images/build-base-image.sh"), baseImage], root,
                "base image build", cancellation);
        }
        return baseImage;
    }

    /// <summary>
    /// Builds the context's Dockerfile through the engine's API, showing each step and a reminder
    /// every <see cref="ImageBuildProgress.ReminderPeriod"/> on stderr: stdout may be a report or a
    /// table, and a build can take minutes whoever asked for the image.
    /// </summary>
    private static async Task BuildAsync(DockerClient docker, string context, string baseImage, string tag,
        TextWriter progress, CancellationToken cancellation)
    {
        progress.WriteLine($"building image {tag}");
        var shown = ImageBuildProgress.Start(tag, Console.Error);
        string? failure = null;
        using var archive = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(context, archive, includeBaseDirectory: false, cancellation);
        archive.Position = 0;
        using var reminding = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var reminders = RemindAsync(shown, reminding.Token);
        try
        {
            await docker.Images.BuildImageFromDockerfileAsync(
                new ImageBuildParameters
                {
                    Dockerfile = "Dockerfile",
                    Tags = [tag],
                    BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage },
                    Remove = true,
                    ForceRemove = true,
                },
                archive, [], new Dictionary<string, string>(),
                new OnEveryMessage(message =>
                {
                    shown.Take(message.Stream);
                    failure ??= message.Error?.Message;
                }),
                cancellation);
        }
        catch (DockerApiException e)
        {
            failure ??= e.Message;
        }
        finally
        {
            await reminding.CancelAsync();
            await reminders.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        // The engine reports a failed step in the stream, not as an error of the call.
        if (failure is not null || !await ExistsAsync(docker, tag, cancellation))
        {
            throw CoupException.Environment(
                $"image build failed for {tag}: {failure ?? "no image was tagged"}; "
                + $"check the Dockerfile in nodes/images and that {baseImage} exists");
        }
    }

    /// <summary>Handles each message as it is read (<see cref="Progress{T}"/> would post it for later).</summary>
    private sealed class OnEveryMessage(Action<JSONMessage> handle) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => handle(value);
    }

    private static async Task RemindAsync(ImageBuildProgress progress, CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(ImageBuildProgress.ReminderPeriod);
        while (await timer.WaitForNextTickAsync(cancellation))
        {
            progress.Remind();
        }
    }

    private static async Task<bool> ExistsAsync(DockerClient docker, string image, CancellationToken cancellation)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, cancellation);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// A hash of everything the image is built from, so an unchanged node host is not even republished.
    /// </summary>
    private static string SourceHash(string root, string baseImage, IReadOnlyList<string> inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(baseImage));
        var sources = inputs
            .SelectMany(d => File.Exists(Path.Combine(root, d))
                ? [Path.Combine(root, d)]
                : Directory.EnumerateFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal)
                && !f.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in sources)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    private static async Task RunAsync(
        string program, IEnumerable<string> arguments, string directory, string what, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)
            ?? throw CoupException.Environment($"cannot start {program} for the {what}");
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        if (process.ExitCode != 0)
        {
            var detail = ((await errors) + (await output)).Trim().Split('\n').LastOrDefault()?.Trim();
            throw CoupException.Environment($"{what} failed (exit {process.ExitCode}): {detail}");
        }
    }
}

/// <summary>The checkout the harness runs from: where Coup.slnx is.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Coup.slnx")))
                {
                    return directory.FullName;
                }
            }
        }
        throw CoupException.Environment(
            "cannot find the Coup checkout (Coup.slnx) to build the node image from; run coup from inside it");
    }
}
