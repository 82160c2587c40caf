using System.Numerics;
using IdVerify.Core.Liveness;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace IdVerify.Core.Evaluation;

/// <summary>A burst of JPEG frames for a challenge, what it is, and the actions it may be judged against.</summary>
/// <param name="Attack">whether every challenge must fail on it.</param>
public sealed record ChallengeBurst(string Name, string Kind, bool Attack, IReadOnlyList<byte[]> Frames, IReadOnlyList<IReadOnlyList<string>> Challenges);

/// <summary>
/// The bursts <c>eval-challenge</c> and the tests judge: real footage from shared/faces/sequences, and still photos moved,
/// rotated and tilted in front of a camera, synthesised frame by frame (a print held up and turned).
/// </summary>
public static class ChallengeBursts
{
    public const string RealTurn = "real_head_turn";
    public const string LiveNoTurn = "live_no_turn";
    public const string Replay = "replay";
    public const string TiltedStill = "still_tilted";
    public const string MovedStill = "still_moved_rotated";

    private static readonly IReadOnlyList<IReadOnlyList<string>> BothOrders =
        [[ChallengeActions.TurnLeft, ChallengeActions.TurnRight], [ChallengeActions.TurnRight, ChallengeActions.TurnLeft]];

    /// <summary>
    /// franck_turn_A (turns left, then right) as bona fide bursts: its even and its odd frames (20 each, 3 fps), each
    /// forward for turn_left → turn_right and reversed in time for turn_right → turn_left. Four bursts, one person, one clip.
    /// </summary>
    public static IReadOnlyList<ChallengeBurst> RealTurns(string facesRoot)
    {
        var clip = SequenceFrames(facesRoot, "franck_turn_A");
        var bursts = new List<ChallengeBurst>();
        foreach (var phase in new[] { 0, 1 })
        {
            var frames = clip.Where((_, i) => i % 2 == phase).ToList();
            bursts.Add(new($"franck_turn_A/{(phase == 0 ? "even" : "odd")}", RealTurn, false, frames, [BothOrders[0]]));
            bursts.Add(new($"franck_turn_A/{(phase == 0 ? "even" : "odd")}-reversed", RealTurn, false, frames.AsEnumerable().Reverse().ToList(), [BothOrders[1]]));
        }

        return bursts;
    }

    /// <summary>Live people who talk and blink but never turn (the GRID and franck blink clips, every 2nd frame): no turn challenge may pass.</summary>
    public static IReadOnlyList<ChallengeBurst> LiveWithoutTurns(string facesRoot) =>
        SequenceNames(facesRoot).Where(s => s.StartsWith("grid_", StringComparison.Ordinal) || s.StartsWith("franck_blink", StringComparison.Ordinal))
            .Select(s => new ChallengeBurst(s, LiveNoTurn, true, SequenceFrames(facesRoot, s).Where((_, i) => i % 2 == 0).Take(20).ToList(), BothOrders))
            .ToList();

    /// <summary>The Silent-Face demo's phone replay and printed photo held to the camera, and the whole demo (live, then the phone, then the print).</summary>
    public static IReadOnlyList<ChallengeBurst> Replays(string facesRoot)
    {
        var rows = SequenceRows(facesRoot).Where(r => r["sequence"] == "sfas_demo_gif").ToList();
        byte[] Read(CsvRow r) => File.ReadAllBytes(Path.Combine(facesRoot, "sequences", r["file"]));
        return
        [
            new("sfas_demo_gif/phone", Replay, true, rows.Where(r => r["event"] == "attack_replay").Select(Read).ToList(), BothOrders),
            new("sfas_demo_gif/print", Replay, true, rows.Where(r => r["event"] == "unknown").Select(Read).ToList(), BothOrders),
            new("sfas_demo_gif/live-phone-print", Replay, true, rows.Where((_, i) => i % 2 == 0).Select(Read).ToList(), BothOrders),
        ];
    }

    /// <summary>
    /// A still photo held up and turned like a head: frontal, tilted about its vertical axis 15–45° one way then the
    /// other (perspective taper and foreshortening), with small shifts and in-plane rotation between.
    /// </summary>
    public static ChallengeBurst Tilted(string name, byte[] photo) => Synthesise(name, TiltedStill, photo,
    [
        new(0, 0, 1, 0, 0), new(-15, 0, 1, 0, 0), new(-30, 0, 1, 0.01f, 0), new(-45, 0, 1, 0.02f, 0), new(-20, 5, 1, 0.01f, 0),
        new(0, 0, 1, 0, 0.01f), new(15, 0, 1, 0, 0), new(30, 0, 1, -0.01f, 0), new(45, 0, 1, -0.02f, 0), new(20, -5, 1, -0.01f, 0),
        new(0, 0, 1, 0, 0), new(-30, 0, 1, 0, 0),
    ]);

    /// <summary>A still photo moved about, brought closer and rotated in the image plane (±25°).</summary>
    public static ChallengeBurst MovedAndRotated(string name, byte[] photo) => Synthesise(name, MovedStill, photo,
    [
        new(0, 0, 1, 0, 0), new(0, -10, 1, -0.03f, 0), new(0, -20, 1.05f, -0.05f, 0.02f), new(0, -25, 1.1f, -0.04f, 0.03f),
        new(0, -10, 1.1f, 0, 0.02f), new(0, 0, 1.15f, 0.02f, 0), new(0, 10, 1.1f, 0.04f, -0.02f), new(0, 20, 1.05f, 0.05f, -0.03f),
        new(0, 25, 1, 0.04f, 0), new(0, 10, 0.95f, 0.02f, 0.02f), new(0, 0, 0.9f, 0, 0), new(0, -15, 1, -0.02f, 0),
    ]);

    /// <summary>How a photo sits in one synthesised frame: tilt about its vertical axis, in-plane roll, scale, shift (fractions of the frame).</summary>
    private readonly record struct Pose(float TiltDegrees, float RollDegrees, float Scale, float ShiftX, float ShiftY);

    private static ChallengeBurst Synthesise(string name, string kind, byte[] photo, IReadOnlyList<Pose> poses)
    {
        using var image = Image.Load<Rgb24>(photo);
        image.Mutate(x => x.AutoOrient());
        return new ChallengeBurst(name, kind, true, poses.Select(p => Render(image, p)).ToList(), BothOrders);
    }

    /// <summary>
    /// The photo as a camera would see it posed so, on a canvas of its own size: a tilt of θ about the vertical axis
    /// foreshortens it by cos θ and tapers it as a pinhole camera 1.5 photo-widths away would (near edge over far edge).
    /// </summary>
    private static byte[] Render(Image<Rgb24> photo, Pose pose)
    {
        var rect = new Rectangle(0, 0, photo.Width, photo.Height);
        var builder = new ProjectiveTransformBuilder();
        if (pose.TiltDegrees != 0)
        {
            var half = 0.5f * MathF.Sin(MathF.Abs(pose.TiltDegrees) * MathF.PI / 180);
            const float distance = 1.5f;
            // The taper's fraction is the far edge's height over the near edge's.
            builder.AppendTaper(pose.TiltDegrees > 0 ? TaperSide.Left : TaperSide.Right, TaperCorner.Both, (distance - half) / (distance + half))
                .AppendScale(new SizeF(MathF.Cos(pose.TiltDegrees * MathF.PI / 180), 1));
        }

        builder.AppendRotationDegrees(pose.RollDegrees).AppendScale(pose.Scale);
        var matrix = builder.BuildMatrix(rect);

        // Keep the photo's centre where it was (plus the shift): the builder scales and tapers about the origin.
        var centre = new Vector2(photo.Width / 2f, photo.Height / 2f);
        var moved = Vector4.Transform(new Vector4(centre, 0, 1), matrix);
        var target = centre + new Vector2(pose.ShiftX * photo.Width, pose.ShiftY * photo.Height);
        matrix *= Matrix4x4.CreateTranslation(target.X - (moved.X / moved.W), target.Y - (moved.Y / moved.W), 0);

        using var frame = photo.Clone(x => x.Transform(rect, matrix, photo.Size(), KnownResamplers.Bicubic));
        using var stream = new MemoryStream();
        frame.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    private static List<CsvRow> SequenceRows(string facesRoot) =>
        CsvTable.Read(Path.Combine(facesRoot, "sequences", "labels.csv"), "file", "sequence", "event").Rows.ToList();

    private static IEnumerable<string> SequenceNames(string facesRoot) => SequenceRows(facesRoot).Select(r => r["sequence"]).Distinct();

    /// <summary>A sequence's frames in time order (file names carry the frame's index in the source video).</summary>
    public static List<byte[]> SequenceFrames(string facesRoot, string sequence) =>
        SequenceRows(facesRoot).Where(r => r["sequence"] == sequence).Select(r => r["file"]).Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllBytes(Path.Combine(facesRoot, "sequences", f))).ToList();
}
