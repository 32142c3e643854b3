// The Kotlin side of the FFI benchmark (scripts/ffi-bench.sh): the same three operations as
// tests/src/bin/ffi-baseline.rs, called through the generated bindings and JNA on the JVM
// against the release cdylib. Prints "name median_ns" lines.
package app.waymark.bench

import app.waymark.core.CheckInInput
import app.waymark.core.KdfParams
import app.waymark.core.ReviewRange
import app.waymark.ffi.benchNative
import app.waymark.ffi.createJournal
import java.io.File
import java.nio.file.Files

fun medianNs(samples: Int, batch: Int, op: (Int) -> Unit): Double {
    val times = (0 until samples).map { s ->
        val started = System.nanoTime()
        for (i in 0 until batch) op(s * batch + i)
        (System.nanoTime() - started).toDouble() / batch
    }.sorted()
    return times[times.size / 2]
}

/** Collects the garbage the previous benchmark left, so its pauses do not land in the next one. */
fun settle() {
    System.gc()
    Thread.sleep(200)
}

fun main() {
    val dir = Files.createTempDirectory("waymark-bench").toFile()
    try {
        val kdf = KdfParams(256, 1, 1)
        val small = createJournal(File(dir, "small.db").path, "benchmark passphrase", kdf, null).journal
        small.setTimeZone("Europe/Berlin")
        val today = small.today()
        var sink = 0L

        // Warm-up lets the JIT compile the binding code, as it would in a running app.
        settle()
        medianNs(3, 10_000) { if (small.isUnlocked()) sink++ }
        val trivial = medianNs(15, 10_000) { if (small.isUnlocked()) sink++ }
        val checkInOp = { i: Int ->
            val input = CheckInInput(date = today.minusDays((i % 3000).toLong()), mood = 3, craving = 2)
            sink += small.checkIn(input).mood.toLong()
        }
        settle()
        medianNs(3, 50, checkInOp)
        val checkIn = medianNs(15, 50, checkInOp)

        val big = createJournal(File(dir, "ten-years.db").path, "benchmark passphrase", kdf, null).journal
        big.generateDemoStory(2026uL, 0u, "Europe/Berlin", true)
        settle()
        // Each read is timed from Kotlin and, alternately, natively inside this same process
        // (benchNative), so both see the JVM's garbage collector and JIT threads beside them.
        fun paired(name: String, samples: Int, batch: Int, op: () -> Long): Pair<Double, Double> {
            repeat(3) { for (i in 0 until batch) sink += op(); benchNative(big, name, batch.toUInt()) }
            val kotlin = ArrayList<Double>()
            val native = ArrayList<Double>()
            repeat(samples) {
                val started = System.nanoTime()
                for (i in 0 until batch) sink += op()
                kotlin.add((System.nanoTime() - started).toDouble() / batch)
                native.add(benchNative(big, name, batch.toUInt()).toDouble())
            }
            kotlin.sort()
            native.sort()
            return Pair(kotlin[samples / 2], native[samples / 2])
        }
        val trivialPair = paired("trivial_call", 15, 10_000) { if (big.isUnlocked()) 1L else 0L }
        val review = paired("review_ten_years", 15, 1) { big.reviewProgress(ReviewRange.AllTime).moodSeries.size.toLong() }
        val home = paired("home_ten_years", 15, 20) { big.home().journeys.size.toLong() }
        val progress = paired("progress_month", 15, 20) { big.progress(ReviewRange.Month).journeys.size.toLong() }
        println("trivial_call %.0f".format(trivial))
        println("check_in_write %.0f".format(checkIn))
        for ((name, pair) in listOf(
            "trivial_call" to trivialPair, "home_ten_years" to home,
            "progress_month" to progress, "review_ten_years" to review,
        )) {
            if (name != "trivial_call") println("$name %.0f".format(pair.first))
            println("native.$name %.0f".format(pair.second))
            println("paired.$name %.0f".format(pair.first))
        }
        if (sink == 42L) println()
    } finally {
        dir.deleteRecursively()
    }
}
