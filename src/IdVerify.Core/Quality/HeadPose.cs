using System.Numerics;
using IdVerify.Core.Imaging;

namespace IdVerify.Core.Quality;

/// <summary>Head rotation in degrees. Yaw &gt; 0: the nose points toward the image's right edge; pitch &gt; 0: face tilted up; roll &gt; 0: clockwise in the image.</summary>
public readonly record struct HeadPose(float Yaw, float Pitch, float Roll)
{
    /// <summary>
    /// A generic adult face in millimetres for the detector's five points (x right, y down, z toward the
    /// camera): the ArcFace template's proportions for a 62 mm inter-eye distance, with the nose tip 32 mm and
    /// the mouth corners 8 mm in front of the eyes.
    /// </summary>
    private static readonly Vector3[] Model =
    [
        new(-31f, 0f, 0f),
        new(31f, 0f, 0f),
        new(0.2f, 35.4f, 32f),
        new(-25.7f, 71.7f, 8f),
        new(25.7f, 71.4f, 8f),
    ];

    /// <summary>
    /// YuNet's nose point sits higher on the nose than the generic model's tip: uncorrected, the 183 labelled
    /// (mostly frontal) photos of shared/faces had a median pitch of −10°, so that much is added back.
    /// </summary>
    private const float PitchOffset = 10f * MathF.PI / 180f;

    /// <summary>
    /// How much higher the five-point model reads pitch on PFLD-68's five points than on a detector's: the median
    /// difference from RetinaFace's over 178 labelled photos of shared/faces (corrected, both pass the enrollment bounds on
    /// 90 of them).
    /// </summary>
    public const float RefinedPitchBias = 7.6f;

    /// <summary>
    /// Fits a scaled-orthographic projection of <see cref="Model"/> to the landmarks (least squares), then reads
    /// yaw and pitch from the rotation; roll comes from the eye line, which is what a person sees as tilt.
    /// </summary>
    /// <param name="pitchBias">degrees the landmark source reads pitch high by (<see cref="RefinedPitchBias"/> for PFLD-68's points).</param>
    public static HeadPose Estimate(IReadOnlyList<Point2> landmarks, float pitchBias = 0)
    {
        var (yaw, pitch) = Fit(Model, landmarks.Select(p => new Vector2(p.X, p.Y)).ToArray());
        var roll = MathF.Atan2(landmarks[1].Y - landmarks[0].Y, landmarks[1].X - landmarks[0].X);
        const float degrees = 180f / MathF.PI;
        return new HeadPose(yaw * degrees, ((pitch + PitchOffset) * degrees) - pitchBias, roll * degrees);
    }

    /// <summary>
    /// Six points of a generic head (learnopencv's head-pose model, x right, y down, z toward the camera) for the PFLD-68
    /// points nose tip 30, chin 8, outer eye corners 36 / 45 and mouth corners 48 / 54.
    /// </summary>
    private static readonly (int Index, Vector3 Point)[] Model68 =
    [
        (30, new(0f, 0f, 0f)),
        (8, new(0f, 330f, -65f)),
        (36, new(-225f, -170f, -135f)),
        (45, new(225f, -170f, -135f)),
        (48, new(-150f, 150f, -125f)),
        (54, new(150f, 150f, -125f)),
    ];

    /// <summary>Head pose from PFLD-68 landmarks (image pixels): the reference the five-point yaw is calibrated against.</summary>
    public static HeadPose EstimateFrom68(IReadOnlyList<Vector2> points)
    {
        var (yaw, pitch) = Fit(Model68.Select(m => m.Point).ToArray(), Model68.Select(m => points[m.Index]).ToArray());
        var roll = MathF.Atan2(points[45].Y - points[36].Y, points[45].X - points[36].X);
        const float degrees = 180f / MathF.PI;
        return new HeadPose(yaw * degrees, pitch * degrees, roll * degrees);
    }

    /// <summary>Yaw and pitch (radians) of the scaled-orthographic projection of <paramref name="model"/> that best fits <paramref name="landmarks"/>.</summary>
    private static (float Yaw, float Pitch) Fit(Vector3[] model, Vector2[] landmarks)
    {
        var modelMean = model.Aggregate(Vector3.Zero, (a, b) => a + b) / model.Length;
        var imageMean = landmarks.Aggregate(Vector2.Zero, (a, b) => a + b) / landmarks.Length;

        // A (2x3) = (Σ x Xᵀ)(Σ X Xᵀ)⁻¹ on centred points.
        var xx = new double[3, 3];
        var xX = new double[2, 3];
        for (var i = 0; i < model.Length; i++)
        {
            var m = model[i] - modelMean;
            double[] mv = [m.X, m.Y, m.Z];
            double[] iv = [landmarks[i].X - imageMean.X, landmarks[i].Y - imageMean.Y];
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    xx[r, c] += mv[r] * mv[c];
                }
            }

            for (var r = 0; r < 2; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    xX[r, c] += iv[r] * mv[c];
                }
            }
        }

        var inverse = Invert3(xx);
        var r1 = Row(xX, 0, inverse);
        var r2 = Row(xX, 1, inverse);
        r1 = Vector3.Normalize(r1);
        r2 = Vector3.Normalize(r2 - (Vector3.Dot(r1, r2) * r1));
        var r3 = Vector3.Cross(r1, r2);

        // Yaw and pitch of the head with the image-plane rotation taken out first (R = roll · pitch · yaw). Read off the
        // rotation as it stands, a photo rolled in the image plane turned its pitch into yaw: a still of a face looking
        // up, rolled ±25°, read as turning 22° left and right and passed the head-turn challenge (eval-challenge).
        var roll = MathF.Atan2(-r1.Y, r2.Y);
        var (cos, sin) = (MathF.Cos(roll), MathF.Sin(roll));
        var level1 = (cos * r1) + (sin * r2);
        var level2 = (cos * r2) - (sin * r1);
        return (MathF.Atan2(level1.Z, level1.X), MathF.Atan2(r3.Y, level2.Y));
    }

    private static Vector3 Row(double[,] xX, int row, double[,] inverse)
    {
        var v = new double[3];
        for (var c = 0; c < 3; c++)
        {
            for (var k = 0; k < 3; k++)
            {
                v[c] += xX[row, k] * inverse[k, c];
            }
        }

        return new Vector3((float)v[0], (float)v[1], (float)v[2]);
    }

    private static double[,] Invert3(double[,] m)
    {
        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
                  - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
                  + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        var inv = new double[3, 3];
        inv[0, 0] = ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])) / det;
        inv[0, 1] = ((m[0, 2] * m[2, 1]) - (m[0, 1] * m[2, 2])) / det;
        inv[0, 2] = ((m[0, 1] * m[1, 2]) - (m[0, 2] * m[1, 1])) / det;
        inv[1, 0] = ((m[1, 2] * m[2, 0]) - (m[1, 0] * m[2, 2])) / det;
        inv[1, 1] = ((m[0, 0] * m[2, 2]) - (m[0, 2] * m[2, 0])) / det;
        inv[1, 2] = ((m[0, 2] * m[1, 0]) - (m[0, 0] * m[1, 2])) / det;
        inv[2, 0] = ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])) / det;
        inv[2, 1] = ((m[0, 1] * m[2, 0]) - (m[0, 0] * m[2, 1])) / det;
        inv[2, 2] = ((m[0, 0] * m[1, 1]) - (m[0, 1] * m[1, 0])) / det;
        return inv;
    }
}
