import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { requireContext } from "./_require_context.ts";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const DATABASES = ["crm_prod", "shop", "billing", "portal", "hr_records", "erp"] as const;
const FIRST = [
  "anna",
  "ben",
  "carla",
  "dmitri",
  "elena",
  "farid",
  "grace",
  "hugo",
  "ines",
  "jonas",
];
const LAST = ["meyer", "lopez", "chen", "novak", "okafor", "smith", "rossi", "berg", "kaya"];
const DOMAINS = ["example.com", "example.org", "example.net"] as const;

function sqlDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * A realistic SQL dump whose trailer, among the usual restore statements,
 * points replication at `<slug>.<zone>` and starts the replica, so importing
 * it makes the server resolve that name. MariaDB runs the `/*M!100501` lines
 * and skips MySQL-only `/*!80023` ones (it ignores 5.7+ version comments);
 * MySQL 8.0.23+ runs the `/*!80023` lines and treats `/*M!` as a comment.
 */
export const mysqlDumpGenerator: Generator = {
  name: "mysql_dump",
  kind: "dns",
  needs: ["dns_zone"],
  description: "SQL dump whose import points replication at <slug>.<zone> (MySQL 8, MariaDB)",
  generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const rng = new SlugRandom(context.slug, "mysql_dump");
    const persona = resolvePersona(context);
    const dates = artifactDates(context, "mysql_dump");
    const db = rng.pick(DATABASES);
    const host = `${context.slug}.${context.dnsZone}`;
    const password = rng.chars(20, ALNUM);
    const rows: string[] = [];
    const count = rng.int(12, 60);
    for (let i = 1; i <= count; i++) {
      const first = rng.pick(FIRST), last = rng.pick(LAST);
      const when = new Date(dates.createdAt.getTime() - rng.int(0, 900) * 86_400_000);
      rows.push(
        `(${i},'${first}.${last}@${rng.pick(DOMAINS)}','${first[0].toUpperCase()}${
          first.slice(1)
        }',` +
          `'${last[0].toUpperCase()}${last.slice(1)}','+1-555-${rng.int(1000, 9999)}',` +
          `'${sqlDate(when)}',${rng.int(0, 1)})`,
      );
    }
    const orders: string[] = [];
    const orderCount = rng.int(20, 120);
    for (let i = 1; i <= orderCount; i++) {
      orders.push(
        `(${1000 + i},${rng.int(1, count)},${rng.int(5, 2400)}.${
          String(rng.int(0, 99)).padStart(2, "0")
        },` +
          `'${rng.pick(["paid", "shipped", "refunded", "pending"])}',` +
          `'${sqlDate(new Date(dates.modifiedAt.getTime() - rng.int(0, 400) * 86_400_000))}')`,
      );
    }
    const table = (name: string, columns: string, keys: string, values: string[]) => [
      "--",
      `-- Table structure for table \`${name}\``,
      "--",
      "",
      `DROP TABLE IF EXISTS \`${name}\`;`,
      "/*!40101 SET @saved_cs_client     = @@character_set_client */;",
      "/*!40101 SET character_set_client = utf8 */;",
      `CREATE TABLE \`${name}\` (\n${columns},\n${keys}\n) ENGINE=InnoDB AUTO_INCREMENT=${
        values.length + 1
      } DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;`,
      "/*!40101 SET character_set_client = @saved_cs_client */;",
      "",
      "--",
      `-- Dumping data for table \`${name}\``,
      "--",
      "",
      `LOCK TABLES \`${name}\` WRITE;`,
      `/*!40000 ALTER TABLE \`${name}\` DISABLE KEYS */;`,
      `INSERT INTO \`${name}\` VALUES ${values.join(",")};`,
      `/*!40000 ALTER TABLE \`${name}\` ENABLE KEYS */;`,
      "UNLOCK TABLES;",
      "",
    ];
    const lines = [
      "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)",
      "--",
      `-- Host: localhost    Database: ${db}`,
      "-- ------------------------------------------------------",
      "-- Server version\t10.11.6-MariaDB-0+deb12u1-log",
      "",
      "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
      "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;",
      "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;",
      "/*!40101 SET NAMES utf8mb4 */;",
      "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;",
      "/*!40103 SET TIME_ZONE='+00:00' */;",
      "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;",
      "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;",
      "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
      "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;",
      "",
      ...table(
        "customers",
        "  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `email` varchar(190) NOT NULL,\n" +
          "  `first_name` varchar(80) DEFAULT NULL,\n  `last_name` varchar(80) DEFAULT NULL,\n" +
          "  `phone` varchar(32) DEFAULT NULL,\n  `created_at` datetime NOT NULL,\n" +
          "  `is_active` tinyint(1) NOT NULL DEFAULT 1",
        "  PRIMARY KEY (`id`),\n  KEY `idx_email` (`email`)",
        rows,
      ),
      ...table(
        "orders",
        "  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `customer_id` int(11) NOT NULL,\n" +
          "  `total` decimal(10,2) NOT NULL,\n  `status` varchar(16) NOT NULL,\n" +
          "  `placed_at` datetime NOT NULL",
        "  PRIMARY KEY (`id`),\n  KEY `idx_customer` (`customer_id`)",
        orders,
      ),
      "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;",
      "",
      `/*M!100501 CHANGE MASTER TO MASTER_HOST='${host}', MASTER_PORT=3306, MASTER_USER='repl', ` +
      `MASTER_PASSWORD='${password}', MASTER_CONNECT_RETRY=60 */;`,
      `/*!80023 CHANGE REPLICATION SOURCE TO SOURCE_HOST='${host}', SOURCE_PORT=3306, ` +
      `SOURCE_USER='repl', SOURCE_PASSWORD='${password}', SOURCE_CONNECT_RETRY=60 */;`,
      "/*M!100501 START REPLICA */;",
      "/*!80023 START REPLICA */;",
      "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;",
      "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;",
      "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;",
      "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;",
      "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;",
      "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;",
      "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;",
      "",
      `-- Dump completed on ${sqlDate(dates.modifiedAt)}`,
    ];
    return Promise.resolve(datedArtifact(mysqlDumpGenerator, dates, {
      defaultPath: homePath(
        persona,
        persona.os === "windows"
          ? ["Documents", `${db}_backup.sql`]
          : ["backups", `${db}_${dates.modifiedAt.toISOString().slice(0, 10)}.sql`],
      ),
      bytes: lines.join("\n") + "\n",
      mode: 0o640,
      mime: "application/sql",
      notes: `Importing the dump as a privileged user makes the server resolve ${host} ` +
        "(replication source); MariaDB 10.5.1+ and MySQL 8.0.23+.",
    }));
  },
};
