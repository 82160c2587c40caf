using IdVerify.Core.Templates;
using IdVerify.Tests;

namespace IdVerify.Cli.Tests;

/// <summary>Every command answers bad input with one line and exit code 2, never a stack trace.</summary>
public sealed class BadInputCliTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-bad-").FullName;

    [Fact]
    public async Task Eval_answers_a_pairs_file_without_header_with_one_line_and_exit_2()
    {
        var pairs = Write("pairs.csv", File.ReadLines(Path.Combine(TestData.FacesRoot, "pairs.csv")).Skip(1));

        var result = await CliRunner.RunAsync("eval", "--faces", TestData.FacesRoot, "--pairs", pairs, "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, $"{pairs}:1: no header line");
    }

    [Fact]
    public async Task Eval_answers_a_pairs_file_naming_an_unlisted_photo_with_one_line_and_exit_2()
    {
        var pairs = Write("pairs.csv", ["source,file_a,file_b,same_identity", "azure_face_samples,Family1-Dad1.jpg,Family1-Dad9.jpg,1"]);

        var result = await CliRunner.RunAsync("eval", "--faces", TestData.FacesRoot, "--pairs", pairs, "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, $"{pairs}:2: photo 'azure_face_samples/Family1-Dad9.jpg' is not listed in");
    }

    [Fact]
    public async Task Eval_answers_an_option_it_does_not_know_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("eval", "--pair", "pairs.csv");

        AssertOneLineError(result, "Unknown option 'pair'");
    }

    [Fact]
    public async Task Eval_refuses_to_calibrate_a_pipeline_the_service_does_not_run_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("eval", "--flip-fusion", "--calibrate", "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, "--calibrate measures the service's own pipeline; drop --flip-fusion and --scale.");
    }

    [Fact]
    public async Task Eval_answers_a_scale_outside_zero_to_one_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("eval", "--scale", "1.5", "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, "--scale must be in (0, 1] (got 1.5).");
    }

    [Fact]
    public async Task Eval_liveness_answers_a_labels_file_without_a_kind_column_with_one_line_and_exit_2()
    {
        var labels = Write("pad.csv", ["file,attack_type", "silent_face_anti_spoofing/image_F1.jpg,print"]);

        var result = await CliRunner.RunAsync("eval-liveness", "--faces", TestData.FacesRoot, "--labels", labels, "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, $"{labels}:1: the header has no column 'kind'");
    }

    [Fact]
    public async Task Eval_challenge_answers_a_photo_count_of_zero_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("eval-challenge", "--photos", "0", "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, "--photos must be a positive count, not 0.");
    }

    [Fact]
    public async Task Eval_challenge_answers_a_faces_folder_without_sequences_with_one_line_and_exit_2()
    {
        var faces = Directory.CreateDirectory(Path.Combine(root, "faces")).FullName;
        Write("faces/labels.csv", ["source,file,identity,kind"]);

        var result = await CliRunner.RunAsync("eval-challenge", "--faces", faces, "--out", Path.Combine(root, "out"));

        AssertOneLineError(result, Path.Combine(faces, "sequences", "labels.csv"));
    }

    [Fact]
    public async Task Bench_answers_a_frame_size_it_cannot_read_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("bench", "--frame", "640", "--out", Path.Combine(root, "bench.json"));

        AssertOneLineError(result, "--frame must be WIDTHxHEIGHT");
    }

    [Fact]
    public async Task Bench_compare_opencv_answers_a_detector_opencv_cannot_run_with_one_line_and_exit_2()
    {
        // OpenCV's reference decodes YuNet only (it used to crash inside OpenCV on RetinaFace).
        var result = await CliRunner.RunAsync("bench", "--compare-opencv", "--detector", "retinaface-mnet025", "--requests", "1",
            "--out", Path.Combine(root, "bench.json"));

        AssertOneLineError(result, "decodes YuNet only, and the configured detector is retinaface-mnet025");
    }

    [Fact]
    public async Task Bench_identify_answers_a_gallery_size_it_cannot_read_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("bench-identify", "--sizes", "10k");

        AssertOneLineError(result, "--sizes positive whole numbers");
    }

    [Fact]
    public async Task Bench_identify_answers_a_faces_folder_without_lfw_devtrain_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("bench-identify", "--faces", root);

        AssertOneLineError(result, $"{Path.Combine(root, "lfw_devtrain")} does not exist.");
    }

    [Fact]
    public async Task Bench_answers_a_labels_file_with_a_short_row_with_one_line_and_exit_2()
    {
        var faces = Path.Combine(root, "faces");
        Directory.CreateDirectory(faces);
        var labels = Path.Combine(faces, "labels.csv");
        await File.WriteAllLinesAsync(labels, ["source,file,identity,kind", "azure_face_samples,Family1-Dad1.jpg,Family1-Dad,bonafide", "azure_face_samples,Family1-Dad2.jpg"]);

        var result = await CliRunner.RunAsync("bench", "--faces", faces, "--out", Path.Combine(root, "bench.json"));

        AssertOneLineError(result, $"{labels}:3: 2 fields where the header has 4");
    }

    [Fact]
    public async Task Verify_answers_an_fmr_target_that_is_not_a_number_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("verify", "--fmr-target", "often",
            TestData.Photo("face_recognition/tests/test_images/obama3.jpg"), TestData.Photo("face_recognition/examples/knn_examples/train/obama/obama.jpg"));

        AssertOneLineError(result, "'often'");
    }

    [Fact]
    public async Task Models_pull_answers_a_model_id_the_manifest_lacks_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("models", "pull", "--models", ModelsCopy(), "--offline", "no-such-model");

        AssertOneLineError(result, "error model_unavailable: Model 'no-such-model' is not in the manifest.");
    }

    [Fact]
    public async Task Models_list_answers_a_models_folder_without_a_manifest_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("models", "list", "--models", root);

        AssertOneLineError(result, "manifest.json");
    }

    [Fact]
    public async Task Models_use_answers_a_role_it_does_not_know_with_one_line_and_exit_2()
    {
        var result = await CliRunner.RunAsync("models", "use", "recognizer", "yunet-2026may", "--models", ModelsCopy());

        AssertOneLineError(result, "Usage: models use detector|embedder|liveness");
    }

    [Fact]
    public async Task Templates_status_answers_a_file_that_is_not_a_database_with_one_line_and_exit_2()
    {
        var database = Write("idverify.db", ["not a database"]);

        var result = await CliRunner.RunAsync("templates", "status", "--db", database);

        AssertOneLineError(result, $"{database} is not a template database");
    }

    [Fact]
    public async Task Templates_migrate_answers_a_data_key_file_that_is_not_json_with_one_line_and_exit_2()
    {
        var database = Path.Combine(root, "idverify.db");
        _ = new SqliteDatabase(database);
        var keyFile = Write("data-keys.json", ["not json"]);

        var result = await CliRunner.RunAsync("templates", "migrate", "--db", database, "--to", "mobilefacenet-treb1en-128d");

        AssertOneLineError(result, $"{keyFile} is not a data key file");
    }

    [Fact]
    public async Task Audit_verify_answers_a_database_that_does_not_exist_with_one_line_and_exit_2()
    {
        var database = Path.Combine(root, "missing.db");

        var result = await CliRunner.RunAsync("audit", "verify", "--db", database);

        AssertOneLineError(result, $"{database} does not exist.");
        Assert.False(File.Exists(database));
    }

    [Fact]
    public async Task Audit_export_answers_a_format_it_does_not_write_with_one_line_and_exit_2()
    {
        var database = Path.Combine(root, "idverify.db");
        _ = new SqliteDatabase(database);

        var result = await CliRunner.RunAsync("audit", "export", "--format", "csv", "--db", database);

        AssertOneLineError(result, "--format must be jsonl, not 'csv'.");
    }

    [Fact]
    public async Task Audit_verify_answers_an_hmac_key_that_is_too_short_with_one_line_and_exit_2()
    {
        var database = Path.Combine(root, "idverify.db");
        _ = new SqliteDatabase(database);

        var result = await CliRunner.RunAsync("audit", "verify", "--db", database, "--key", Convert.ToBase64String(new byte[16]));

        AssertOneLineError(result, "Audit:HmacKey must be base64 of at least 32 bytes.");
    }

    private static void AssertOneLineError(CliRunner.Result result, string expected)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}: {result.Output}");
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(root, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string ModelsCopy()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(models);
        File.Copy(TestData.Models.ManifestPath, Path.Combine(models, "manifest.json"), overwrite: true);
        return models;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
