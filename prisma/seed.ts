import { createDb, DEFAULT_DATABASE_URL, seedDemoStore } from "@shelf/db";

// Seed script (npm run db:seed / prisma db seed): the demo store. Reads only DATABASE_URL.
const db = createDb({ url: process.env.DATABASE_URL || DEFAULT_DATABASE_URL });
try {
  const { storeId, cameraId } = await seedDemoStore(db);
  console.log(`Seeded demo store ${storeId} with camera ${cameraId}.`);
} finally {
  await db.$disconnect();
}
