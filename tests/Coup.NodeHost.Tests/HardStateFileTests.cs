using Coup.NodeHost;
using Coup.Nodes;

namespace Coup.NodeHost.Tests;

/// <summary>
/// The hard state file: written whole to a temporary file, flushed to disk, renamed over the old
/// one, and the directory synced, so a crash at any instant leaves either the old state or the new one.
/// </summary>
public sealed class HardStateFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"coup-hard-state-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static readonly HardState Voted = new()
    {
        Term = 7,
        VotedFor = 3,
        Values = new Dictionary<string, long> { ["acceptedEpoch"] = 6 },
    };

    [Fact]
    public void Given_a_fresh_data_directory_When_loaded_Then_it_is_created_and_the_state_is_empty()
    {
        var state = new HardStateFile(_directory).Load();

        Assert.True(Directory.Exists(_directory));
        Assert.Equal(HardState.Empty, state);
    }

    [Fact]
    public void Given_a_saved_state_When_a_new_process_loads_it_Then_term_vote_and_values_come_back()
    {
        new HardStateFile(_directory).Load();
        new HardStateFile(_directory).Save(Voted);

        var loaded = new HardStateFile(_directory).Load();

        Assert.Equal((Voted.Term, Voted.VotedFor), (loaded.Term, loaded.VotedFor));
        Assert.Equal(Voted.Values, loaded.Values);
    }

    [Fact]
    public void Given_an_older_state_When_a_newer_one_is_saved_Then_it_replaces_it_and_no_temporary_file_is_left()
    {
        var file = new HardStateFile(_directory);
        file.Load();
        file.Save(Voted);

        file.Save(new HardState { Term = 8 });

        Assert.Equal(new HardState { Term = 8 }, file.Load());
        Assert.Equal(["hardstate.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Given_a_write_cut_short_before_its_rename_When_the_node_restarts_Then_it_loads_the_last_full_state()
    {
        var file = new HardStateFile(_directory);
        file.Load();
        file.Save(Voted);
        // What a kill between the temporary file's write and its rename leaves behind.
        File.WriteAllText(Path.Combine(_directory, "hardstate.json.tmp"), "{\"term\":9,\"vot");

        var loaded = new HardStateFile(_directory).Load();

        Assert.Equal((Voted.Term, Voted.VotedFor), (loaded.Term, loaded.VotedFor));
    }

    [Fact]
    public void Given_a_state_When_saved_Then_it_is_written_synced_renamed_and_then_its_directory_synced()
    {
        var disk = new RecordingDisk();
        var temporary = Path.Combine(_directory, "hardstate.json.tmp");

        new HardStateFile(_directory, disk).Save(Voted);

        Assert.Equal(
        [
            $"write {temporary}",
            $"sync-file {temporary}",
            $"rename {temporary} {Path.Combine(_directory, "hardstate.json")}",
            $"sync-directory {_directory}",
        ], disk.Steps);
    }

    [Fact]
    public void Given_a_directory_When_the_local_disk_syncs_it_Then_it_succeeds()
    {
        Directory.CreateDirectory(_directory);

        var error = Record.Exception(() => new LocalDisk().SyncDirectory(_directory));

        Assert.Null(error);
    }

    [Fact]
    public void Given_no_such_directory_When_the_local_disk_syncs_it_Then_it_fails_naming_it()
    {
        var error = Assert.Throws<IOException>(() => new LocalDisk().SyncDirectory(_directory));

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Records each durable step in order and does nothing else.</summary>
    private sealed class RecordingDisk : IDurableDisk
    {
        public List<string> Steps { get; } = [];

        public void Write(string path, byte[] contents) => Steps.Add($"write {path}");

        public void SyncFile(string path) => Steps.Add($"sync-file {path}");

        public void Rename(string source, string destination) => Steps.Add($"rename {source} {destination}");

        public void SyncDirectory(string directory) => Steps.Add($"sync-directory {directory}");
    }
}
